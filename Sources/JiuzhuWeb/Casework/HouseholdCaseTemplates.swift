extension PageTemplates {
    /// What both dynamic-management forms show first: the household and what it receives.
    private static let householdCaseHeader = """
        {{#household}}
        {{#message}}<p class="notice error-box" id="household-case-message">{{message}}</p>{{/message}}
        <section>
        <p>家庭 <a href="/households/{{id}}" class="code" id="household-link">{{id}}</a></p>
        <p>享受的救助（按审批决定）：<strong id="household-received">{{received}}</strong></p>
        {{/household}}
        """

    /// A member's death in a recipient household, at its village.
    static let householdDeath =
        householdCaseHeader + """
            {{#household}}{{^receives}}<p class="notice" id="not-recipient">该户目前没有享受救助（没有批准纳入、继续享受或渐退中的决定），不需要死亡复查；家庭成员的变化请在家庭登记中修改。</p>{{/receives}}{{/household}}
            </section>
            {{#household}}{{#receives}}
            <form method="post" action="/households/{{id}}/deaths" class="stack" id="death-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <p class="hint">登记后，每个享受的救助项目生成一件死亡复查，从入户调查办起，须自死亡日期起 {{limit}}内办结；该项目已有正在办理的复核或变更的，记入该案件。</p>
            <label>死亡的家庭成员<select name="citizenID" id="death-member" required>{{#members}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/members}}</select></label>
            <label>死亡日期<input type="date" name="diedOn" id="death-date" value="{{diedOn}}" max="{{today}}" required></label>
            <label>说明（如死亡证明编号，可不填）<input name="note" id="death-note" value="{{note}}" maxlength="500"></label>
            <button type="submit" id="submit-death">登记死亡</button>
            </form>
            {{/receives}}{{/household}}
            """

    /// A change in a recipient household's situation, or its exit, at its village.
    static let householdChange =
        householdCaseHeader + """
            {{#household}}{{^receives}}<p class="notice" id="not-recipient">该户目前没有享受救助，不能办理变更或退出。</p>{{/receives}}{{/household}}
            </section>
            {{#household}}{{#receives}}
            <form method="post" action="/households/{{id}}/changes" class="stack" id="change-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <p class="hint">登记后生成变更或退出案件，从入户调查办起，经评议、核对、初审和公示后，由有权审批的层级决定继续享受、渐退或停止救助。</p>
            <label>救助项目<select name="programme" id="change-programme">{{#programmes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/programmes}}</select></label>
            <label class="check"><input type="radio" name="type" value="change" id="change-type-change"{{^exit}} checked{{/exit}}> 家庭情况变化（如收入增加、成员迁出）</label>
            <label class="check"><input type="radio" name="type" value="exit" id="change-type-exit"{{#exit}} checked{{/exit}}> 退出（主动退出或停止救助）</label>
            <label>变化情况或退出理由<textarea name="reason" id="change-reason" rows="3" maxlength="1000" required>{{reason}}</textarea></label>
            <button type="submit" id="submit-change">登记</button>
            </form>
            {{/receives}}{{/household}}
            """
}
