<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>AppointmentPage</name>
        <message>
            <source>← 返回</source>
            <translation>← Back</translation>
        </message>
        <message>
            <source>预约签到</source>
            <translation>Appointment check-in</translation>
        </message>
        <message>
            <source>请扫描客户的预约二维码，或输入预约码（过号客户可输入票号）</source>
            <translation>Scan the customer's appointment QR code, or type the code (for a missed call, the ticket number)</translation>
        </message>
        <message>
            <source>签到后按预约时间优先叫号</source>
            <translation>Checked-in customers are called with priority at their booked time</translation>
        </message>
        <message>
            <source>预约码，例如 A1B2C3D</source>
            <translation>Appointment code, e.g. A1B2C3D</translation>
        </message>
        <message>
            <source>签到取号</source>
            <translation>Check in and print ticket</translation>
        </message>
        <message>
            <source>请输入或扫描预约码</source>
            <translation>Type or scan the appointment code</translation>
        </message>
    </context>
    <context>
        <name>ComplaintDonePage</name>
        <message>
            <source>正在打印回执…</source>
            <translation>Printing the receipt…</translation>
        </message>
        <message>
            <source>✔ 回执已打印</source>
            <translation>✔ Receipt printed</translation>
        </message>
        <message>
            <source>回执打印失败，投诉已登记，参考编号有效。</source>
            <translation>The receipt did not print. The complaint is recorded and the reference is valid.</translation>
        </message>
        <message>
            <source>投诉已登记，感谢您的反馈</source>
            <translation>Complaint recorded. Thank you for telling us</translation>
        </message>
        <message>
            <source>参考编号</source>
            <translation>Reference number</translation>
        </message>
        <message>
            <source>打印回执</source>
            <translation>Print receipt</translation>
        </message>
        <message>
            <source>完成</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>您选择了无需答复；如需查询，请提供参考编号。</source>
            <translation>You chose no answer; to ask about it later, give the reference number.</translation>
        </message>
        <message>
            <source>我们将在 {day} 前通过「{channel}」答复您。</source>
            <translation>We will answer you by {day} ({channel}).</translation>
        </message>
        <message>
            <source>未留</source>
            <translation>not given</translation>
        </message>
        <message>
            <source>类别：{category}    联系电话：{contact}</source>
            <translation>Category: {category}    Contact: {contact}</translation>
        </message>
    </context>
    <context>
        <name>ComplaintPage</name>
        <message>
            <source>← 返回</source>
            <extracomment>Follow-ups that need a number to call or text.</extracomment>
            <translation>← Back</translation>
        </message>
        <message>
            <source>投诉登记</source>
            <translation>Complaint</translation>
        </message>
        <message>
            <source>投诉类别</source>
            <translation>What is it about</translation>
        </message>
        <message>
            <source>事情经过</source>
            <translation>What happened</translation>
        </message>
        <message>
            <source>请记录客户所说的经过：时间、窗口、发生了什么</source>
            <translation>Write down what the customer says: when, which counter, what happened</translation>
        </message>
        <message>
            <source>客户希望的答复方式</source>
            <translation>How the customer wants an answer</translation>
        </message>
        <message>
            <source>例如 138 1234 5678</source>
            <translation>e.g. 138 1234 5678</translation>
        </message>
        <message>
            <source>提交投诉</source>
            <translation>Record complaint</translation>
        </message>
        <message>
            <source>联系电话（必填）</source>
            <translation>Contact number (required)</translation>
        </message>
        <message>
            <source>联系电话（选填）</source>
            <translation>Contact number (optional)</translation>
        </message>
        <message>
            <source>请填写事情经过。</source>
            <translation>Please write down what happened.</translation>
        </message>
        <message>
            <source>经过太长，请精简到 {n} 字以内。</source>
            <translation>That is too long; please keep it under {n} characters.</translation>
        </message>
        <message>
            <source>联系电话无效，请更正。</source>
            <translation>The contact number is not valid; please correct it.</translation>
        </message>
        <message>
            <source>电话或短信答复需要客户的手机号码。</source>
            <translation>An answer by phone or SMS needs the customer's mobile number.</translation>
        </message>
    </context>
    <context>
        <name>DetailsPage</name>
        <message>
            <source>← 返回</source>
            <translation>← Back</translation>
        </message>
        <message>
            <source>客户类别（优先）</source>
            <translation>Customer category (priority)</translation>
        </message>
        <message>
            <source>预约码</source>
            <translation>Appointment code</translation>
        </message>
        <message>
            <source>输入或扫描预约码</source>
            <translation>Type or scan the appointment code</translation>
        </message>
        <message>
            <source>手机号码（选填）</source>
            <translation>Mobile number (optional)</translation>
        </message>
        <message>
            <source>例如 138 1234 5678</source>
            <translation>e.g. 138 1234 5678</translation>
        </message>
        <message>
            <source>备注（选填，给柜员看）</source>
            <translation>Note for the teller (optional)</translation>
        </message>
        <message>
            <source>例如：需要轮椅、听力不好</source>
            <translation>e.g. needs a wheelchair, hard of hearing</translation>
        </message>
        <message>
            <source>所需材料：点选客户已带的</source>
            <translation>Documents: tap the ones the customer has</translation>
        </message>
        <message>
            <source>✔ 材料全部带齐</source>
            <translation>✔ Has all documents</translation>
        </message>
        <message>
            <source>此业务不需要材料</source>
            <translation>No documents needed for this service</translation>
        </message>
        <message>
            <source>确认取号</source>
            <translation>Issue ticket</translation>
        </message>
        <message>
            <source>还缺：{missing}。可以先取号，请提醒客户在叫号前备齐。</source>
            <translation>Still missing: {missing}. The ticket can be issued; please remind the customer to have them ready before the call.</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>手机号码无效，未取号。请更正或清空后再确认。</source>
            <translation>The mobile number is not valid; no ticket was issued. Correct it or clear it, then confirm again.</translation>
        </message>
        <message>
            <source>预约客户请输入或扫描预约码。</source>
            <translation>For an appointment, type or scan the appointment code.</translation>
        </message>
    </context>
    <context>
        <name>GreeterController</name>
        <message>
            <source>请输入或扫描预约码</source>
            <extracomment>Journal kinds that change the waiting counts on the tiles.</extracomment>
            <translation>Type or scan the appointment code</translation>
        </message>
        <message>
            <source>还没有可补打的号票</source>
            <translation>No ticket to reprint yet</translation>
        </message>
        <message>
            <source>请先登录</source>
            <translation>Please sign in first</translation>
        </message>
        <message>
            <source>登录失败</source>
            <translation>Sign-in failed</translation>
        </message>
        <message>
            <source>没有找到</source>
            <translation>Not found</translation>
        </message>
        <message>
            <source>系统暂时无法连接，请稍后再试</source>
            <translation>The system cannot be reached; please try again shortly</translation>
        </message>
        <message>
            <source>无法办理</source>
            <translation>Not possible</translation>
        </message>
        <message>
            <source>{0} 号仍然有效，请直接告知柜台叫回</source>
            <translation>Ticket {0} is still valid: tell the counter, which will call it back</translation>
        </message>
        <message>
            <source>{0} 号已过有效时间，请重新取号</source>
            <translation>Ticket {0} is no longer valid: please take a new ticket</translation>
        </message>
        <message>
            <source>{0} 号不在过号列表中，请按叫号等候</source>
            <translation>Ticket {0} was not missed: please wait to be called</translation>
        </message>
    </context>
    <context>
        <name>GreeterWindow</name>
        <message>
            <source>请设置新密码</source>
            <translation>Choose a new PIN</translation>
        </message>
        <message>
            <source>✔ 已引导客户使用自助设备</source>
            <translation>✔ Customer sent to the self-service machine</translation>
        </message>
        <message>
            <source>Lobby 大堂经理</source>
            <translation>Lobby greeter</translation>
        </message>
    </context>
    <context>
        <name>HeaderBar</name>
        <message>
            <source>大字</source>
            <translation>Large text</translation>
        </message>
        <message>
            <source>锁定</source>
            <translation>Lock</translation>
        </message>
        <message>
            <source>大堂经理：{name}</source>
            <translation>Greeter: {name}</translation>
        </message>
        <message>
            <source>未登录</source>
            <translation>Not signed in</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>暂无窗口办理此业务</source>
            <extracomment>Said instead of a wait when no staffed counter serves the service (``unserved``).</extracomment>
            <translation>No counter is serving this now</translation>
        </message>
        <message>
            <source>普通</source>
            <extracomment>Priority categories offered at triage (engine value -&gt; source label).</extracomment>
            <translation>Regular</translation>
        </message>
        <message>
            <source>老年人</source>
            <translation>Elderly</translation>
        </message>
        <message>
            <source>残障人士</source>
            <translation>Disabled</translation>
        </message>
        <message>
            <source>孕妇</source>
            <translation>Pregnant</translation>
        </message>
        <message>
            <source>贵宾</source>
            <translation>VIP</translation>
        </message>
        <message>
            <source>预约</source>
            <translation>Appointment</translation>
        </message>
        <message>
            <source>服务质量</source>
            <extracomment>Complaint categories of ``lobby.engine.visits.COMPLAINT_CATEGORIES``.</extracomment>
            <translation>Service</translation>
        </message>
        <message>
            <source>等候时间</source>
            <translation>Waiting time</translation>
        </message>
        <message>
            <source>收费</source>
            <translation>Fees</translation>
        </message>
        <message>
            <source>产品</source>
            <translation>Products</translation>
        </message>
        <message>
            <source>环境设施</source>
            <translation>Facilities</translation>
        </message>
        <message>
            <source>工作人员</source>
            <translation>Staff</translation>
        </message>
        <message>
            <source>其他</source>
            <translation>Other</translation>
        </message>
        <message>
            <source>电话回访</source>
            <extracomment>Follow-up channels of ``lobby.engine.visits.FOLLOW_UP_CHANNELS``.</extracomment>
            <translation>Phone call</translation>
        </message>
        <message>
            <source>短信答复</source>
            <translation>SMS</translation>
        </message>
        <message>
            <source>到网点当面答复</source>
            <translation>In person at the branch</translation>
        </message>
        <message>
            <source>无需答复</source>
            <translation>No answer needed</translation>
        </message>
        <message>
            <source>无需等候</source>
            <translation>no wait</translation>
        </message>
        <message>
            <source>约 {n} 分钟</source>
            <translation>about {n} min</translation>
        </message>
        <message>
            <source>约 {low}–{high} 分钟</source>
            <translation>about {low}–{high} min</translation>
        </message>
    </context>
    <context>
        <name>PhoneField</name>
        <message>
            <source>手机号码无效，请核对后重新输入</source>
            <translation>Not a valid mobile number; please check it</translation>
        </message>
        <message>
            <source>✔ 将记录为 {masked}</source>
            <translation>✔ Will be saved as {masked}</translation>
        </message>
    </context>
    <context>
        <name>PrinterBadge</name>
        <message>
            <source>打印机检查中…</source>
            <translation>Checking printer…</translation>
        </message>
        <message>
            <source>● 打印机正常</source>
            <translation>● Printer OK</translation>
        </message>
        <message>
            <source>● 打印纸将用完</source>
            <translation>● Paper low</translation>
        </message>
        <message>
            <source>● 打印机缺纸</source>
            <translation>● Out of paper</translation>
        </message>
        <message>
            <source>● 打印机盖未关</source>
            <translation>● Printer cover open</translation>
        </message>
        <message>
            <source>● 打印机离线</source>
            <translation>● Printer offline</translation>
        </message>
        <message>
            <source>● 无法连接打印机</source>
            <translation>● Printer unreachable</translation>
        </message>
        <message>
            <source>● 打印机状态未知</source>
            <translation>● Printer status unknown</translation>
        </message>
    </context>
    <context>
        <name>SelfServicePage</name>
        <message>
            <source>← 返回</source>
            <translation>← Back</translation>
        </message>
        <message>
            <source>建议客户使用自助设备</source>
            <translation>Suggest the self-service machine</translation>
        </message>
        <message>
            <source>✔ 客户去自助设备办理</source>
            <translation>✔ Customer will use the machine</translation>
        </message>
        <message>
            <source>仍要取号</source>
            <translation>Issue a ticket anyway</translation>
        </message>
        <message>
            <source>在柜台办理需排队：等候 {n} 人，{wait}</source>
            <translation>At a counter: {n} waiting, {wait}</translation>
        </message>
        <message>
            <source>柜台现在无人等候</source>
            <translation>Nobody is waiting for a counter now</translation>
        </message>
    </context>
    <context>
        <name>ServiceTile</name>
        <message>
            <source>等候 {n} 人</source>
            <extracomment>A tile is never narrower than this (pixels at normal text size).</extracomment>
            <translation>{n} waiting</translation>
        </message>
        <message>
            <source>无人等候</source>
            <translation>Nobody waiting</translation>
        </message>
        <message>
            <source>可自助</source>
            <translation>Self-service</translation>
        </message>
    </context>
    <context>
        <name>SignInPage</name>
        <message>
            <source>大堂经理登录</source>
            <translation>Greeter sign-in</translation>
        </message>
        <message>
            <source>请输入工号和密码开始工作</source>
            <translation>Enter your staff id and PIN to start</translation>
        </message>
        <message>
            <source>工号</source>
            <translation>Staff id</translation>
        </message>
        <message>
            <source>密码</source>
            <translation>PIN</translation>
        </message>
        <message>
            <source>例如 G01</source>
            <translation>e.g. G01</translation>
        </message>
        <message>
            <source>请输入密码</source>
            <translation>Enter your PIN</translation>
        </message>
        <message>
            <source>登录</source>
            <translation>Sign in</translation>
        </message>
        <message>
            <source>清除</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>请输入工号和密码</source>
            <translation>Enter staff id and PIN</translation>
        </message>
    </context>
    <context>
        <name>TicketPage</name>
        <message>
            <source>您的号码</source>
            <translation>Your number</translation>
        </message>
        <message>
            <source>号票二维码（柜员扫码叫号）</source>
            <translation>Ticket QR code (tellers scan it to call)</translation>
        </message>
        <message>
            <source>补打号票</source>
            <translation>Reprint ticket</translation>
        </message>
        <message>
            <source>完成（{n} 秒后返回）</source>
            <translation>Done (back in {n} s)</translation>
        </message>
        <message>
            <source>完成</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>前面还有 {n} 人</source>
            <translation>{n} ahead of you</translation>
        </message>
        <message>
            <source>预计等候：{wait}</source>
            <translation>Expected wait: {wait}</translation>
        </message>
        <message>
            <source>请留意叫号，马上就到您</source>
            <translation>Please listen for your number: you are next</translation>
        </message>
        <message>
            <source>正在打印…</source>
            <translation>Printing…</translation>
        </message>
        <message>
            <source>✔ 已打印，请把号票交给客户</source>
            <translation>✔ Printed: hand the ticket to the customer</translation>
        </message>
        <message>
            <source>打印失败，号码 {number} 仍然有效：请客户记下号码，或修好打印机后补打。</source>
            <translation>Printing failed. Ticket {number} is still valid: let the customer note the number, or reprint once the printer works.</translation>
        </message>
    </context>
    <context>
        <name>TilesPage</name>
        <message>
            <source>请选择客户要办理的业务</source>
            <translation>What does the customer need?</translation>
        </message>
        <message>
            <source>点按业务取号；数字为当前等候人数和预计等候时间</source>
            <translation>Tap a service to issue a ticket; each tile shows who is waiting and the expected wait</translation>
        </message>
        <message>
            <source>预约签到</source>
            <translation>Appointment</translation>
        </message>
        <message>
            <source>投诉登记</source>
            <translation>Complaint</translation>
        </message>
        <message>
            <source>补打 {number}</source>
            <translation>Reprint {number}</translation>
        </message>
        <message>
            <source>补打上一张</source>
            <translation>Reprint last ticket</translation>
        </message>
    </context>
</TS>
