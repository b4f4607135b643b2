/// The operator pages' templates, compiled into the binary: a node needs no files beside
/// itself and loads nothing from the internet.
enum PageTemplates {
    static let all: [(String, String)] = [
        ("layout", layout), ("error", error), ("login", login), ("home", home), ("node", node),
        ("division", division), ("accounts", accounts), ("accountPassword", accountPassword), ("audit", audit),
        ("auditVerify", auditVerify), ("calculator", calculator), ("policy", policy), ("search", search),
        ("household", household), ("duplicates", duplicates), ("householdForm", householdForm),
        ("securityEvents", securityEvents), ("householdFields", householdFields), ("cases", cases),
        ("caseForm", caseForm), ("caseDetail", caseDetail), ("caseNotice", caseNotice), ("apply", apply),
        ("applyDone", applyDone), ("householdDeath", householdDeath), ("householdChange", householdChange),
        ("warnings", warnings), ("warningDetail", warningDetail), ("warningRules", warningRules),
        ("warningDryRun", warningDryRun),
        ("dashboard", dashboard),
    ]

    static let layout = """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{nodeName}} · 社会救助</title>
        <link rel="stylesheet" href="/static/jiuzhu.css">
        </head>
        <body>
        <header>
        <div class="brand"><a href="/">{{nodeName}}</a> <span class="code">{{nodeCode}}</span>
        <span class="role">{{nodeRole}}</span></div>
        {{#signedIn}}
        <div class="who"><span id="operator-name">{{displayName}}</span>（{{role}}）
        <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" id="sign-out">退出</button></form></div>
        {{/signedIn}}
        </header>
        {{#hasMenu}}<nav>{{#menu}}<a href="{{href}}">{{title}}</a>{{/menu}}</nav>{{/hasMenu}}
        <main>
        <h1>{{title}}</h1>
        {{{body}}}
        </main>
        <footer><p>泰州市社会救助信息系统 · 时间均为北京时间</p></footer>
        </body>
        </html>
        """

    static let error = """
        <section class="notice error-box"><p><strong>{{status}}</strong> {{message}}</p>
        <p><a href="/">返回首页</a></p></section>
        """

    static let login = """
        <section>
        {{#message}}<p class="notice error-box" id="login-message">{{message}}</p>{{/message}}
        <form method="post" action="/login" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <label>用户名<input name="username" id="username" autocomplete="username" required value="{{username}}"></label>
        <label>密码<input name="password" id="password" type="password" autocomplete="current-password" required></label>
        <button type="submit" id="sign-in">登录</button>
        </form>
        <p class="hint">账号由本节点管理员开设。连续输错 5 次密码，该用户名将锁定 15 分钟。</p>
        </section>
        """

    static let home = """
        <p class="lead" id="home-greeting">{{greeting}}</p>
        {{#sections}}
        <section>
        <h2>{{title}}</h2>
        <p class="hint">{{description}}</p>
        {{#href}}<p><a href="{{href}}">{{linkText}}</a></p>{{/href}}
        {{^href}}<p class="empty">{{emptyText}}</p>{{/href}}
        </section>
        {{/sections}}
        """

    static let node = """
        <section>
        <h2>本节点</h2>
        <p>{{name}} · {{role}} · 行政区划代码 <span class="code">{{code}}</span></p>
        <p class="hint">启动于 {{startedAt}}</p>
        </section>
        <section>
        <h2>上级节点</h2>
        {{#parent}}
        <div class="neighbour">
        <p>{{name}} <span class="code">{{code}}</span> · {{role}}</p>
        <p class="state {{stateClass}}">{{state}} · 最近联系 {{lastContact}}</p>
        {{#lastError}}<p class="error">{{lastError}}</p>{{/lastError}}
        </div>
        {{/parent}}
        {{^parent}}<p>本节点是市级根节点，没有上级。</p>{{/parent}}
        </section>
        <section>
        <h2>下级节点（{{childCount}}）</h2>
        {{#children}}
        <div class="neighbour">
        <p><a href="/divisions/{{code}}">{{name}}</a> <span class="code">{{code}}</span> · {{role}}</p>
        <p class="state {{stateClass}}">{{state}} · 最近联系 {{lastContact}}</p>
        <p class="hint">{{backlog}}</p>
        </div>
        {{/children}}
        {{^children}}<p>本节点没有下级节点。</p>{{/children}}
        </section>
        <section>
        <h2>联邦同步</h2>
        {{#links}}<p class="link state {{stateClass}}">{{summary}}</p>{{/links}}
        {{^links}}<p>本节点是市级根节点，汇集全市数据，没有上级链路。</p>{{/links}}
        </section>
        """

    static let division = """
        <section>
        <p>{{name}} · {{level}} · 行政区划代码 <span class="code">{{code}}</span></p>
        {{#nodeURL}}<p class="hint">该辖区有自己的节点：{{nodeURL}}</p>{{/nodeURL}}
        </section>
        <section>
        <h2>下级辖区</h2>
        {{#children}}<p><a href="/divisions/{{code}}">{{name}}</a> <span class="code">{{code}}</span></p>{{/children}}
        {{^children}}<p class="empty">没有下级辖区。</p>{{/children}}
        </section>
        <section>
        <h2>本节点持有的该辖区数据</h2>
        <table><thead><tr><th>类别</th><th>记录数</th></tr></thead><tbody>
        {{#counts}}<tr><td>{{channel}} / {{entity}}</td><td>{{rows}}</td></tr>{{/counts}}
        </tbody></table>
        {{^counts}}<p class="empty">尚无数据。</p>{{/counts}}
        </section>
        """

    static let accounts = """
        {{#message}}<p class="notice">{{message}}</p>{{/message}}
        <section>
        <h2>新建账号</h2>
        <form method="post" action="/admin/accounts" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label>用户名<input name="username" id="new-username" required placeholder="例如 zhang.wei"></label>
        <label>姓名<input name="displayName" id="new-display-name" required></label>
        <label>角色<select name="role" id="new-role">{{#roles}}<option value="{{code}}">{{name}}</option>{{/roles}}</select></label>
        <button type="submit" id="create-account">创建并生成初始密码</button>
        </form>
        </section>
        <section>
        <h2>本节点账号（{{count}}）</h2>
        <table><thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>状态</th><th>操作</th></tr></thead><tbody>
        {{#accounts}}
        <tr><td class="code">{{username}}</td><td>{{displayName}}</td><td>{{role}}</td><td>{{state}}</td>
        <td><form method="post" action="/admin/accounts/{{username}}/{{toggleAction}}" class="inline">
        <input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{toggleLabel}}</button></form>
        <form method="post" action="/admin/accounts/{{username}}/reset-password" class="inline">
        <input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">重置密码</button></form></td></tr>
        {{/accounts}}
        </tbody></table>
        </section>
        """

    static let accountPassword = """
        <section class="notice">
        <p>账号 <span class="code" id="shown-username">{{username}}</span>（{{displayName}}）的密码：</p>
        <p class="secret" id="shown-password">{{password}}</p>
        <p>此密码只显示这一次，请当面或通过安全渠道交给本人。</p>
        <p><a href="/admin/accounts">返回账号管理</a></p>
        </section>
        """

    static let audit = """
        <section>
        <form method="get" action="/audit" class="row">
        <label>节点<select name="node">{{#nodes}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}} {{code}}</option>{{/nodes}}</select></label>
        <label>操作员<input name="actor" value="{{actor}}"></label>
        <label>动作<input name="action" value="{{action}}" placeholder="如 session.signIn"></label>
        <button type="submit">筛选</button>
        </form>
        <p><a href="/audit/verify" id="verify-link">校验审计链</a></p>
        </section>
        <section>
        <table class="audit"><thead><tr><th>序号</th><th>时间</th><th>操作员</th><th>动作</th><th>对象</th><th>结果</th><th>说明</th></tr></thead><tbody>
        {{#entries}}
        <tr class="{{outcomeClass}}"><td>{{seq}}</td><td>{{at}}</td><td>{{actor}}<br><span class="hint">{{role}}</span></td>
        <td class="code">{{action}}</td><td class="code">{{target}}</td><td>{{outcome}}</td><td>{{detail}}</td></tr>
        {{/entries}}
        </tbody></table>
        {{^entries}}<p class="empty">没有符合条件的记录。</p>{{/entries}}
        {{#nextPage}}<p><a href="{{nextPage}}">更早的记录</a></p>{{/nextPage}}
        </section>
        """

    static let auditVerify = """
        <section>
        {{#intact}}<p class="state reachable" id="verify-result">审计链完整：共校验 {{total}} 条记录。</p>{{/intact}}
        {{^intact}}<p class="state unreachable" id="verify-result">发现 {{problemCount}} 处问题：</p>
        <ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/intact}}
        <table><thead><tr><th>节点</th><th>记录数</th></tr></thead><tbody>
        {{#chains}}<tr><td class="code">{{node}}</td><td>{{count}}</td></tr>{{/chains}}
        </tbody></table>
        </section>
        """

    static let calculator = """
        {{#message}}<p class="notice error-box" id="calculator-message">{{message}}</p>{{/message}}
        {{#explanation}}
        <section id="calculator-result">
        <h2>计算结果</h2>
        <p>政策版本 <span class="code">{{version}}</span> · 计算日期 {{date}}</p>
        <p class="lead" id="calculator-tier">{{tier}}</p>
        <table><tbody>{{#figures}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/figures}}</tbody></table>
        </section>
        {{#eligible}}
        <section class="programme eligible"><h2>✔ {{name}}：{{amount}}（{{period}}）</h2>
        <p>{{rule}}</p>
        <ul>{{#conditions}}<li>{{#met}}✔{{/met}}{{^met}}✘{{/met}} {{text}}</li>{{/conditions}}</ul>
        {{#calculation}}<p class="calc">{{calculation}}</p>{{/calculation}}
        <p class="hint">{{#parameters}}{{name}} {{value}}（自 {{effectiveFrom}} 起{{#definition}}，{{definition}}{{/definition}}）；{{/parameters}}</p>
        </section>
        {{/eligible}}
        <section><h2>不符合的项目</h2>
        {{#notEligible}}
        <details><summary>✘ {{name}}{{#excludedBy}}（与“{{excludedBy}}”互斥）{{/excludedBy}}</summary>
        <p>{{rule}}</p>
        <ul>{{#conditions}}<li>{{#met}}✔{{/met}}{{^met}}✘{{/met}} {{text}}</li>{{/conditions}}</ul>
        </details>
        {{/notEligible}}
        </section>
        {{/explanation}}
        <form method="post" action="/calculator" class="stack" id="calculator-form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#form}}{{> householdFields}}{{/form}}
        <button type="submit" id="calculate">计算</button>
        </form>
        """

    static let policy = """
        {{#message}}<p class="notice" id="policy-message">{{message}}</p>{{/message}}
        {{#state}}
        <section>
        <h2>本节点运行的版本</h2>
        {{#current}}<p id="policy-current">{{label}} · {{publishedAt}} 由 {{publishedBy}} 发布</p>{{/current}}
        {{^current}}<p class="state unknown" id="policy-current">尚未收到市级发布的政策版本。</p>{{/current}}
        {{#parentNewest}}<p>上级节点最新版本：<span class="code">{{parentNewest}}</span></p>{{/parentNewest}}
        {{#upToDate}}<p class="state reachable" id="policy-sync">与上级一致。</p>{{/upToDate}}
        </section>
        <section>
        <h2>本节点持有的版本</h2>
        <table><thead><tr><th>版本</th><th>发布时间</th><th>发布人</th></tr></thead><tbody>
        {{#versions}}<tr><td class="code">{{label}}</td><td>{{publishedAt}}</td><td>{{publishedBy}}</td></tr>{{/versions}}
        </tbody></table>
        </section>
        {{/state}}
        {{#state.canPublish}}
        <section>
        <h2>发布新版本</h2>
        <p class="hint">粘贴完整的政策文件（YAML）。校验不通过的不会发布，并指出出错的行。版本号不能与已发布的重复。</p>
        <form method="post" action="/policy" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <textarea name="text" rows="20" id="policy-text">{{text}}</textarea>
        <button type="submit" id="publish-policy">校验并发布</button>
        </form>
        </section>
        {{/state.canPublish}}
        """

    static let search = """
        <section>
        <form method="get" action="/search" class="row" id="search-form">
        <label>辖区<select name="division"><option value="">全部</option>{{#divisions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/divisions}}</select></label>
        <label>人均月收入（元）<input name="minIncome" value="{{minIncome}}" size="6" inputmode="decimal"> – <input name="maxIncome" value="{{maxIncome}}" size="6" inputmode="decimal"></label>
        <label>年龄<input name="minAge" value="{{minAge}}" size="3" inputmode="numeric"> – <input name="maxAge" value="{{maxAge}}" size="3" inputmode="numeric"></label>
        <label>残疾等级<input name="minGrade" value="{{minGrade}}" size="2" inputmode="numeric"> – <input name="maxGrade" value="{{maxGrade}}" size="2" inputmode="numeric"></label>
        <label class="check"><input type="checkbox" name="illness" value="true"{{#illness}} checked{{/illness}}> 有重病成员</label>
        <label>在保项目<select name="programme"><option value="">不限</option>{{#programmes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/programmes}}</select></label>
        <label>画像标签<select name="tag"><option value="">不限</option>{{#tags}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tags}}</select></label>
        <button type="submit" id="search">检索</button>
        </form>
        </section>
        <section>
        <p id="search-total">共 {{total}} 户 · 第 {{page}}/{{pages}} 页 · <a href="{{export}}" id="export">导出 CSV</a></p>
        <table><thead><tr><th>户编号</th><th>村（居）</th><th>申请人</th><th>人数</th><th>人均月收入</th><th>在保项目</th><th>画像</th></tr></thead><tbody>
        {{#rows}}<tr><td class="code"><a href="/households/{{id}}">{{id}}</a></td><td>{{village}}</td><td>{{applicant}}</td><td>{{members}}</td><td>{{income}}</td><td>{{programmes}}</td><td>{{tags}}</td></tr>{{/rows}}
        </tbody></table>
        <p>{{#previous}}<a href="{{previous}}">上一页</a> {{/previous}}{{#next}}<a href="{{next}}">下一页</a>{{/next}}</p>
        </section>
        {{#hasSetAside}}<section class="notice error-box" id="set-aside">
        <h2>暂未索引的家庭</h2>
        <p class="hint">以下记录无法解析或无法计算画像，未列入检索结果；请在所属村（居）核对修改，修改后的版本可索引时自动移出。</p>
        <table><thead><tr><th>户编号</th><th>村（居）</th><th>原因</th><th>时间</th></tr></thead><tbody>
        {{#setAside}}<tr><td class="code">{{id}}</td><td class="code">{{village}}</td><td>{{reason}}</td><td>{{setAsideAt}}</td></tr>{{/setAside}}
        </tbody></table>
        </section>{{/hasSetAside}}
        """

    static let household = """
        {{#hasDuplicates}}<section class="notice error-box"><h2>重复登记</h2>
        {{#duplicates}}<p>公民身份号码 <span class="code">{{citizenID}}</span> 同时登记在：{{#households}}<a href="/households/{{.}}">{{.}}</a> {{/households}}</p>{{/duplicates}}
        </section>{{/hasDuplicates}}
        <section>
        <p>户编号 <span class="code" id="household-id">{{id}}</span> · 第 {{version}} 版 · {{registration}}户籍 · 村（居）<span class="code">{{village}}</span></p>
        <p>{{address}}</p>
        <p>在保项目：{{enrolments}}</p>
        {{#eligibility}}<p class="hint" id="eligibility">{{eligibility}}</p>{{/eligibility}}
        </section>
        {{#dynamic}}<section id="dynamic-management"><h2>动态管理</h2>
        <p>享受的救助（按审批决定）：{{received}}</p>
        <p><a href="/households/{{id}}/deaths" id="record-death">登记家庭成员死亡</a> · <a href="/households/{{id}}/changes" id="open-change">家庭情况变化或退出</a></p>
        </section>{{/dynamic}}
        <section><h2>画像（人均月收入 {{perCapitaIncome}}）</h2>
        <ul id="profile">{{#tags}}<li><strong>{{name}}</strong>：{{reason}}</li>{{/tags}}</ul>
        {{^tags}}<p class="empty">无标签。</p>{{/tags}}
        </section>
        <section><h2>家庭成员</h2>
        <table><thead><tr><th>姓名</th><th>公民身份号码</th><th>性别</th><th>{{birthHeader}}</th><th>关系</th><th>健康</th><th>劳动/就业</th><th>电话</th></tr></thead><tbody>
        {{#members}}<tr><td>{{name}}</td><td class="code">{{citizenID}}</td><td>{{sex}}</td><td>{{birth}}</td><td>{{relation}}</td><td>{{health}}</td><td>{{work}}</td><td>{{phone}}</td></tr>{{/members}}
        </tbody></table>
        </section>
        <section><h2>收入、财产与支出</h2>
        <ul>{{#incomes}}<li>{{.}}</li>{{/incomes}}<li>{{assets}}</li>{{#expenditures}}<li>{{.}}</li>{{/expenditures}}</ul>
        {{#hasSupporters}}<p>赡养（抚养、扶养）义务人：{{#supporters}}{{.}}；{{/supporters}}</p>{{/hasSupporters}}
        </section>
        <section><h2>修改记录</h2>
        <table><thead><tr><th>版本</th><th>时间</th><th>修改人</th><th>节点</th></tr></thead><tbody>
        {{#history}}<tr><td>{{version}}</td><td>{{writtenAt}}</td><td>{{changedBy}}</td><td class="code">{{node}}</td></tr>{{/history}}
        </tbody></table>
        </section>
        """

    static let duplicates = """
        <section>
        <p class="hint">同一公民身份号码出现在本节点所辖的多户中：须核实后在户籍所在村（居）更正。本节点共发现 {{count}} 人。</p>
        <table><thead><tr><th>公民身份号码</th><th>所在各户</th></tr></thead><tbody>
        {{#duplicates}}<tr><td class="code">{{citizenID}}</td><td>{{#households}}<a href="/households/{{.}}">{{.}}</a> {{/households}}</td></tr>{{/duplicates}}
        </tbody></table>
        {{^duplicates}}<p class="empty">未发现重复登记。</p>{{/duplicates}}
        </section>
        """

    static let householdForm = """
        {{#message}}<p class="notice error-box" id="household-message">{{message}}</p>{{/message}}
        <form method="post" action="/households/new" class="stack" id="household-form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <section>
        <label>住址<input name="address" id="address" value="{{address}}" required></label>
        <label>户籍<select name="registration"><option value="rural">农村</option>
        <option value="urban"{{^rural}} selected{{/rural}}>城镇</option></select></label>
        </section>
        <section><h2>家庭成员</h2>
        <p class="hint">性别和出生日期按公民身份号码自动确定。第一位为申请人（户主）。</p>
        {{#members}}
        <fieldset class="member"><legend>成员 {{index}}</legend>
        <label>姓名<input name="m{{index}}.name" id="m{{index}}-name" value="{{name}}"></label>
        <label>公民身份号码<input name="m{{index}}.citizenID" id="m{{index}}-id" value="{{citizenID}}" maxlength="18" autocomplete="off"></label>
        <label>与申请人关系<select name="m{{index}}.relation">{{#relations}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/relations}}</select></label>
        <label>残疾类别<select name="m{{index}}.category">{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></label>
        <label>残疾等级<select name="m{{index}}.grade">{{#grades}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grades}}</select></label>
        <label>电话<input name="m{{index}}.phone" value="{{phone}}" inputmode="tel"></label>
        <label class="check"><input type="checkbox" name="m{{index}}.seriousIllness"{{#seriousIllness}} checked{{/seriousIllness}}> 患重病</label>
        <label class="check"><input type="checkbox" name="m{{index}}.unableToWork"{{#unableToWork}} checked{{/unableToWork}}> 无劳动能力</label>
        <label class="check"><input type="checkbox" name="m{{index}}.leftBehind"{{#leftBehind}} checked{{/leftBehind}}> 留守儿童</label>
        </fieldset>
        {{/members}}
        </section>
        <section><h2>每月收入（元）</h2>
        {{#incomes}}<label>{{label}}<input name="{{name}}" value="{{value}}" inputmode="decimal"></label>{{/incomes}}
        </section>
        <section><h2>财产、支出与在保项目</h2>
        <label>存款等货币财产（元）<input name="deposits" value="{{deposits}}" inputmode="decimal"></label>
        {{#expenditures}}<label>近 12 个月{{label}}（元）<input name="{{name}}" value="{{value}}" inputmode="decimal"></label>{{/expenditures}}
        {{#enrolments}}<label class="check"><input type="checkbox" name="enrol.{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/enrolments}}
        </section>
        <button type="submit" id="save-household">保存</button>
        </form>
        """

    /// A household's members, income, property and spending, as the calculator and an
    /// application for an unregistered household ask for them.
    static let householdFields = """
        <section>
        <h2>基本情况</h2>
        <label>计算日期<input name="date" id="calc-date" value="{{date}}" placeholder="YYYY-MM-DD"></label>
        <label>户籍<select name="registration"><option value="urban">城镇</option>
        <option value="rural"{{#rural}} selected{{/rural}}>农村</option></select></label>
        </section>
        <section>
        <h2>家庭成员</h2>
        <p class="hint">第一位为申请人；不填出生日期的行不计入。</p>
        {{#members}}
        <fieldset class="member"><legend>成员 {{index}}</legend>
        <label>出生日期<input name="m{{index}}.birthDate" id="m{{index}}-birth" value="{{birthDate}}" placeholder="1960-05-01"></label>
        <label>性别<select name="m{{index}}.sex"><option value="male">男</option>
        <option value="female"{{#female}} selected{{/female}}>女</option></select></label>
        <label>与申请人关系<select name="m{{index}}.relation">{{#relations}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/relations}}</select></label>
        <label>残疾类别<select name="m{{index}}.disabilityCategory">{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></label>
        <label>残疾等级<select name="m{{index}}.disabilityGrade">{{#grades}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grades}}</select></label>
        <label>生活不能自理项数（0–6）<input name="m{{index}}.selfCareItemsFailed" value="{{selfCareItemsFailed}}" inputmode="numeric"></label>
        <label>儿童情况<select name="m{{index}}.childStatus">{{#childStatuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/childStatuses}}</select></label>
        <label class="check"><input type="checkbox" name="m{{index}}.seriousIllness"{{#seriousIllness}} checked{{/seriousIllness}}> 患重病</label>
        <label class="check"><input type="checkbox" name="m{{index}}.unableToWork"{{#unableToWork}} checked{{/unableToWork}}> 无劳动能力</label>
        </fieldset>
        {{/members}}
        </section>
        <section>
        <h2>每月收入（元）</h2>
        {{#incomes}}<label>{{label}}<input name="{{name}}" value="{{value}}" inputmode="decimal"></label>{{/incomes}}
        </section>
        <section>
        <h2>财产与支出</h2>
        <label>存款等货币财产（元）<input name="deposits" value="{{deposits}}" inputmode="decimal"></label>
        <label>机动车（辆，不含残疾人代步车）<input name="vehicles" value="{{vehicles}}" inputmode="numeric"></label>
        <label>住房（套）<input name="housingUnits" value="{{housingUnits}}" inputmode="numeric"></label>
        {{#expenditures}}<label>近 12 个月{{label}}（元）<input name="{{name}}" value="{{value}}" inputmode="decimal"></label>{{/expenditures}}
        <label>有赡养（抚养）能力的义务人（人）<input name="supportersAble" value="{{supportersAble}}" inputmode="numeric"></label>
        <label>急难情形所需金额（元，无则不填）<input name="emergencyNeed" value="{{emergencyNeed}}" inputmode="decimal"></label>
        </section>
        """
}
