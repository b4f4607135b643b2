extension PageTemplates {
    /// The warnings of the node's jurisdiction: open and overdue first.
    static let warnings = """
        <section>
        <h2>{{heading}}</h2>
        {{#isCity}}<p><a href="/warning-rules" id="warning-rules-link">预警规则：启用情况、每月核实结果与试运行</a></p>{{/isCity}}
        <form method="get" action="/warnings" class="row">
        <label>状态<select name="status" id="warning-status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <label>规则<select name="rule" id="warning-rule">{{#rules}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/rules}}</select></label>
        <label class="check"><input type="checkbox" name="overdue" value="true"{{#overdueOnly}} checked{{/overdueOnly}}> 只看逾期</label>
        <button type="submit">筛选</button>
        </form>
        <table id="warning-list"><thead><tr><th>核实期限</th><th>预警</th><th>规则</th><th>家庭</th><th>属地</th><th>状态</th></tr></thead><tbody>
        {{#items}}<tr class="{{#overdue}}overdue{{/overdue}}"><td>{{#dueOn}}{{dueOn}}{{/dueOn}}{{#overdue}} <strong>已逾期</strong>{{/overdue}} · {{escalationName}}</td>
        <td><a href="/warnings/{{key}}" class="code">{{key}}</a></td><td>{{ruleName}}</td><td class="code">{{household}}</td><td>{{villageName}}</td><td>{{statusName}}</td></tr>{{/items}}
        </tbody></table>
        {{^items}}<p class="empty" id="warning-list-empty">没有符合条件的预警。</p>{{/items}}
        </section>
        """

    /// A warning, its evidence, and at its village the two answers.
    static let warningDetail = """
        {{#message}}<p class="notice error-box" id="warning-message">{{message}}</p>{{/message}}
        <section>
        <h2 id="warning-title">{{ruleName}} · <span class="code">{{key}}</span></h2>
        <p class="lead" id="warning-summary">{{summary}}</p>
        <p>状态：<strong id="warning-status-text">{{statusName}}</strong>{{#verification}} · <span id="warning-verification">{{verification}}</span>{{/verification}}</p>
        {{#hasCases}}<p>相关案件：{{#caseIDs}}<a href="/cases/{{.}}" class="code case-link">{{.}}</a> {{/caseIDs}}</p>{{/hasCases}}
        <p id="warning-deadline" class="{{#overdue}}overdue{{/overdue}}">下发 {{raisedOn}} · 核实期限 {{dueOn}}{{#overdue}}（已逾期）{{/overdue}}{{#provisional}}（按暂定日历计算）{{/provisional}} · {{escalation}}{{#generation}} · 第 {{generation}} 次下发{{/generation}}</p>
        <p>家庭 <a href="/households/{{household}}" class="code" id="warning-household">{{household}}</a>（{{villageName}}） · 涉及项目：{{programmes}}</p>
        <p>核实属实后：{{actionName}}</p>
        </section>
        <section>
        <h2>证据</h2>
        <p id="warning-condition">规则条件：{{condition}}</p>
        <table id="warning-facts"><tbody>{{#facts}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/facts}}</tbody></table>
        {{#hasRecords}}<h3>部门记录</h3>
        {{#records}}<table class="warning-record"><tbody><tr><th>来源</th><td>{{feedName}} <span class="code">{{recordID}}</span></td></tr>
        <tr><th>公民身份号码</th><td class="code">{{citizenID}}</td></tr><tr><th>日期</th><td>{{date}}</td></tr><tr><th>内容</th><td>{{facts}}</td></tr></tbody></table>{{/records}}
        {{/hasRecords}}
        {{#hasParameters}}<h3>所用政策参数（政策版本 {{policyVersion}}）</h3>
        <table id="warning-parameters"><tbody>{{#parameters}}<tr><th>{{name}}</th><td>{{valueText}}{{#definitionText}}（{{definitionText}}）{{/definitionText}}，自 {{effectiveFrom}} 起</td></tr>{{/parameters}}</tbody></table>{{/hasParameters}}
        </section>
        {{#canVerify}}
        <section>
        <h2>核实</h2>
        <form method="post" action="/warnings/{{key}}/verification" class="stack" id="confirm-form">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="generation" value="{{generation}}">
        <input type="hidden" name="outcome" value="confirmed">
        <p class="hint">经入户或电话核实情况属实的，系统按规则生成案件：{{actionName}}。</p>
        <button type="submit" id="confirm-warning">核实属实</button>
        </form>
        <form method="post" action="/warnings/{{key}}/verification" class="stack" id="dismiss-form">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="generation" value="{{generation}}">
        <input type="hidden" name="outcome" value="dismissed">
        <label>原因<select name="reason" id="dismiss-reason">{{#reasons}}<option value="{{value}}">{{label}}</option>{{/reasons}}</select></label>
        <label>说明（原因为“其他”时必填）<input name="note" id="dismiss-note" maxlength="200"></label>
        <button type="submit" id="dismiss-warning">核实不属实或无需处理</button>
        </form>
        </section>
        {{/canVerify}}
        """

    /// The rules at the city: switch, source, monthly outcomes and a dry run.
    static let warningRules = """
        <section>
        <h2>预警规则</h2>
        <p class="hint">规则的启用日期和阈值写在政策文件中（warnings 一节和各项参数），随政策版本发布。试运行按当前全市汇总数据计算，不写入任何预警。</p>
        <table id="warning-rule-list"><thead><tr><th>规则</th><th>数据来源</th><th>今日</th><th>每月核实结果（属实/不属实）</th><th></th></tr></thead><tbody>
        {{#rules}}<tr><td>{{name}}</td><td>{{source}}</td><td>{{#enabled}}启用{{/enabled}}{{^enabled}}未启用{{/enabled}}{{#since}}（自 {{since}}）{{/since}}</td>
        <td>{{#outcomes}}{{month}}：{{confirmed}}/{{dismissed}}；{{/outcomes}}{{^outcomes}}—{{/outcomes}}</td>
        <td><form method="post" action="/warning-rules/{{rule}}/dry-run"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="dry-run" id="dry-run-{{rule}}">试运行</button></form></td></tr>{{/rules}}
        </tbody></table>
        </section>
        """

    /// What a rule would raise now.
    static let warningDryRun = """
        <section>
        <h2>试运行：{{ruleName}}</h2>
        <p class="lead" id="dry-run-total">按当前全市汇总数据，将产生 <strong>{{total}}</strong> 条预警，其中新的 {{new}} 条（其余已在预警中）。{{^enabled}}该规则今日未启用。{{/enabled}}</p>
        <table id="dry-run-counties"><thead><tr><th>县（市、区）</th><th>预警数</th></tr></thead><tbody>
        {{#counties}}<tr><td>{{name}} <span class="code">{{code}}</span></td><td>{{count}}</td></tr>{{/counties}}
        </tbody></table>
        <h3>样例（至多 20 条）</h3>
        <table id="dry-run-sample"><thead><tr><th>家庭</th><th>属地</th><th>情况</th><th>规则条件</th></tr></thead><tbody>
        {{#samples}}<tr><td class="code">{{household}}</td><td>{{villageName}}</td><td>{{summary}}</td><td>{{condition}}</td></tr>{{/samples}}
        </tbody></table>
        <p><a href="/warning-rules">返回预警规则</a></p>
        </section>
        """
}
