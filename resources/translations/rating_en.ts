<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Faces</name>
    <message>
        <source>很不满意</source>
        <extracomment>score -&gt; the word under its face (Chinese source; the app&apos;s translator gives English)</extracomment>
        <translation>Very poor</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Poor</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>非常满意</source>
        <translation>Excellent</translation>
    </message>
</context>
<context>
    <name>FacesRow</name>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
</context>
<context>
    <name>RatingPadWindow</name>
    <message>
        <source>Lobby 服务评价</source>
        <translation>Lobby rating pad</translation>
    </message>
    <message>
        <source>欢迎光临</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <source>感谢您的评价！</source>
        <translation>Thank you!</translation>
    </message>
    <message>
        <source>请为本次服务评价（{0}）</source>
        <translation>How was our service today? ({0})</translation>
    </message>
</context>
</TS>
