<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Display</name>
    <message>
        <source>Lobby 叫号屏</source>
        <translation>Lobby hall display</translation>
    </message>
    <message>
        <source>● 重新连接中</source>
        <translation>● Reconnecting</translation>
    </message>
    <message>
        <source>最近叫号</source>
        <translation>Recent calls</translation>
    </message>
    <message>
        <source>等候人数与预计等候</source>
        <translation>Waiting and expected wait</translation>
    </message>
    <message>
        <source>请 {number} 号到 {counter} 办理</source>
        <translation>Ticket {number}, please go to {counter}</translation>
    </message>
    <message>
        <source>再次呼叫：请 {number} 号到 {counter} 办理</source>
        <translation>Again: ticket {number}, please go to {counter}</translation>
    </message>
    <message>
        <source>{number} → {counter}</source>
        <translation>{number} → {counter}</translation>
    </message>
    <message>
        <source>{n} 人等候</source>
        <translation>{n} waiting</translation>
    </message>
    <message>
        <source>约 {low}–{high} 分钟</source>
        <translation>about {low}–{high} min</translation>
    </message>
    <message>
        <source>约 {high} 分钟</source>
        <translation>about {high} min</translation>
    </message>
    <message>
        <source>无需等候</source>
        <translation>no wait</translation>
    </message>
    <message>
        <source>暂无窗口办理此业务</source>
        <translation>No counter serving</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>On break</translation>
    </message>
    <message>
        <source>未开放</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>请取号，留意叫号</source>
        <translation>Please take a ticket and listen for your number</translation>
    </message>
    <message>
        <source>欢迎光临。请留意叫号，过号请至大堂经理处重新取号。</source>
        <translation>Welcome. Please listen for your number; if you miss it, the greeter will help you.</translation>
    </message>
</context>
</TS>
