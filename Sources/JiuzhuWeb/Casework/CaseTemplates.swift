extension PageTemplates {
    /// The to-do list: counts by jurisdiction, then the cases, overdue first.
    static let cases = """
        <section>
        <h2>辖区办理情况</h2>
        <table id="case-counts"><thead><tr><th>单位</th><th>未办结</th><th>逾期</th></tr></thead><tbody>
        {{#counts}}<tr><td>{{name}} <span class="code">{{division}}</span></td><td>{{open}}</td><td{{#overdue}} class="overdue"{{/overdue}}>{{overdue}}</td></tr>{{/counts}}
        </tbody></table>
        {{^counts}}<p class="empty">辖区内没有未办结的案件。</p>{{/counts}}
        </section>
        <section>
        <h2>{{heading}}</h2>
        {{#canApply}}<p><a href="/cases/new" id="new-application">登记申请（模糊申请）</a></p>{{/canApply}}
        <form method="get" action="/cases" class="row">
        <label>范围<select name="scope">{{#scopes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/scopes}}</select></label>
        <label class="check"><input type="checkbox" name="overdue" value="true"{{#overdueOnly}} checked{{/overdueOnly}}> 只看逾期</label>
        <button type="submit">筛选</button>
        </form>
        <table id="case-list"><thead><tr><th>期限</th><th>案件</th><th>申请人</th><th>属地</th><th>项目</th><th>环节</th></tr></thead><tbody>
        {{#items}}<tr class="{{#overdue}}overdue{{/overdue}}"><td>{{#dueOn}}{{dueOn}}{{/dueOn}}{{#overdue}} <strong>已逾期</strong>{{/overdue}}{{#escalated}} · 已上报上级{{/escalated}}{{#provisional}} · 暂定{{/provisional}}</td>
        <td><a href="/cases/{{caseID}}">{{caseID}}</a></td><td>{{applicant}}</td><td>{{villageName}}</td><td>{{programmeName}}</td><td>{{stageName}}</td></tr>{{/items}}
        </tbody></table>
        {{^items}}<p class="empty" id="case-list-empty">没有待办的案件。</p>{{/items}}
        </section>
        """

    /// An application: identity and situation; the household declared if not registered.
    static let caseForm = """
        {{#message}}<p class="notice error-box" id="case-message">{{message}}</p>{{/message}}
        <form method="post" action="/cases/new" class="stack" id="case-form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <section>
        <h2>申请人</h2>
        <p class="hint">有身份即可申请，不必先选救助项目；系统按全部救助项目筛查。不属于本节点辖区的，自动转至属地村（居）。</p>
        <label>姓名<input name="name" id="applicant-name" value="{{name}}" required maxlength="50"></label>
        <label>公民身份号码<input name="citizenID" id="applicant-id" value="{{citizenID}}" required maxlength="18" autocomplete="off"></label>
        <label>手机号码<input name="phone" id="applicant-phone" value="{{phone}}" inputmode="tel" maxlength="11"></label>
        <label>困难情况（申请人自述）<textarea name="situation" id="applicant-situation" rows="3" maxlength="1000">{{situation}}</textarea></label>
        <label>申请的救助项目<select name="programme" id="applicant-programme">{{#programmes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/programmes}}</select></label>
        <label class="check"><input type="checkbox" name="emergency" value="true"{{#emergency}} checked{{/emergency}}> 急难情形（先行救助、后补手续）</label>
        </section>
        <section>
        <h2>未登记的家庭</h2>
        <p class="hint">已在本节点登记的家庭按身份证号自动找到，以下可不填。</p>
        <label>所在村（居）<select name="village" id="applicant-village">{{#villages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/villages}}</select></label>
        </section>
        {{#form}}{{> householdFields}}{{/form}}
        <button type="submit" id="submit-application">登记申请</button>
        </form>
        """

    /// A case: where it stands, the application, the steps the operator may take, the timeline.
    static let caseDetail = """
        {{#message}}<p class="notice error-box" id="case-message">{{message}}</p>{{/message}}
        {{#view}}
        <section>
        <h2 id="case-title">{{caseID}} · {{kindName}}{{#programmeName}} · {{programmeName}}{{/programmeName}}</h2>
        <p class="lead">当前环节：<strong id="case-stage">{{stageName}}</strong></p>
        {{#deadline}}<p id="case-deadline" class="{{#overdue}}overdue{{/overdue}}">办理期限：{{dueOn}}{{#overdue}}（已逾期）{{/overdue}}{{#provisional}}（按暂定日历计算）{{/provisional}} · 工作日历 {{#calendarVersions}}{{.}} {{/calendarVersions}}</p>{{/deadline}}
        {{#decisionDeadline}}<p class="hint">审批期限：{{dueOn}}</p>{{/decisionDeadline}}
        {{#noticeEndsOn}}<p>公示期至 {{noticeEndsOn}} · <a href="/cases/{{caseID}}/notice" id="notice-link">打印公示</a></p>{{/noticeEndsOn}}
        <p class="hint">属地 {{villageName}}（{{village}}） · {{channel}}受理于 {{takenAt}}（{{takenBy}}），{{openedOn}}{{#emergency}} · 急难{{/emergency}}</p>
        </section>
        <section>
        <h2>申请人与情况</h2>
        <p>{{#applicant}}{{name}} · <span class="code">{{citizenID}}</span>{{#phone}} · {{phone}}{{/phone}}{{/applicant}}</p>
        <p>{{situation}}</p>
        {{#household}}<p>已登记家庭：<a href="/households/{{household}}">{{household}}</a></p>{{/household}}
        {{#deaths}}<p class="death">家庭成员死亡：{{name}}（{{relation}}，<span class="code">{{citizenID}}</span>）于 {{diedOn}} 死亡{{#note}}，{{note}}{{/note}} · {{recordedBy}} {{recordedOn}} 登记</p>{{/deaths}}
        <details><summary>救助项目筛查（政策 {{policyVersion}}）</summary>
        <ul id="case-candidates">{{#candidates}}<li>{{#eligible}}✔{{/eligible}}{{^eligible}}✘{{/eligible}} {{programme}}：{{rule}}</li>{{/candidates}}</ul>
        </details>
        </section>
        {{/view}}
        {{#photos}}
        <section id="case-photos"><h2>照片</h2>
        {{#items}}<a href="/api/v1/cases/{{caseID}}/photos/{{sha256}}"><img src="/api/v1/cases/{{caseID}}/photos/{{sha256}}" alt="签署材料照片" class="photo"></a>{{/items}}
        {{^items}}<p class="empty">尚无照片。</p>{{/items}}
        {{#canUpload}}
        <div id="photo-upload" data-case="{{caseID}}" data-csrf="{{csrf}}">
        <label>拍照或选择照片（承诺书、授权书）<input type="file" id="photo-input" accept="image/jpeg,image/png" capture="environment" multiple></label>
        <button type="button" id="photo-send">上传照片</button> <span id="photo-status" class="hint"></span>
        </div>
        <script src="/static/casework.js"></script>
        {{/canUpload}}
        </section>
        {{/photos}}
        {{#forms}}
        <section class="step-form"><h2>{{name}}</h2>
        <form method="post" action="/cases/{{caseID}}/steps" class="stack" id="step-{{kind}}">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="kind" value="{{kind}}"><input type="hidden" name="after" value="{{after}}">
        {{#isAccept}}<label>受理的救助项目<select name="programme">{{#programmes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/programmes}}</select></label>{{/isAccept}}
        {{#isInvestigation}}
        <label>调查人员 1<input name="investigator1" required></label>
        <label>调查人员 2<input name="investigator2" required></label>
        <label>调查人员 3（可不填）<input name="investigator3"></label>
        <label class="check"><input type="checkbox" name="commitmentSigned" value="true"> 已签署诚信承诺书</label>
        <label class="check"><input type="checkbox" name="authorisationSigned" value="true"> 已签署家庭经济状况核对授权书</label>
        <label>调查情况<textarea name="findings" rows="3" maxlength="1000"></textarea></label>
        <p class="hint">家庭成员、收入和财产请在<a href="/households/new">家庭登记</a>中申报或更正。</p>
        {{/isInvestigation}}
        {{#isDecide}}<label>决定<select name="outcome">{{#outcomes}}<option value="{{value}}">{{label}}</option>{{/outcomes}}</select></label>
        <label>渐退月数（渐退时填写）<input name="gradualExitMonths" inputmode="numeric"></label>{{/isDecide}}
        {{#isPayFirst}}<label>先行救助金额（元）<input name="paidFirst" inputmode="decimal" required></label>{{/isPayFirst}}
        {{#needsReason}}<label>理由（申请人将看到）<textarea name="reason" rows="2" maxlength="500"{{#reasonRequired}} required{{/reasonRequired}}></textarea></label>{{/needsReason}}
        {{#hasNote}}<label>意见<textarea name="note" rows="2" maxlength="500"></textarea></label>{{/hasNote}}
        <button type="submit" id="take-{{kind}}">{{name}}</button>
        </form>
        </section>
        {{/forms}}
        {{#view}}
        <section>
        <h2>办理经过</h2>
        <ol id="case-timeline">
        {{#timeline}}<li class="{{^effective}}void{{/effective}}"><strong>{{name}}</strong> · {{operatorName}}（{{role}}，节点 {{node}}）· {{at}}
        {{#reason}}<br>理由：{{reason}}{{/reason}}{{#note}}<br>意见：{{note}}{{/note}}{{#outcome}}<br>决定：{{outcome}}{{/outcome}}{{#acceptedProgramme}}<br>项目：{{acceptedProgramme}}{{/acceptedProgramme}}
        {{#investigation}}<br>调查人员：{{#investigators}}{{.}} {{/investigators}}；{{findings}}{{/investigation}}
        {{#enrolment}}<br>金额：{{amountText}} 元（{{period}}），自 {{paymentFrom}} 起发放，政策 {{policyVersion}}{{/enrolment}}
        {{#paidFirst}}<br>先行救助 {{paidFirst}} 元{{/paidFirst}}
        {{#remark}}<br><em>{{remark}}</em>{{/remark}}
        <br><span class="hint">政策 {{policyVersion}} · 工作日历 {{#calendarVersions}}{{.}} {{/calendarVersions}}</span></li>{{/timeline}}
        </ol>
        {{^timeline}}<p class="empty">尚未办理任何环节。</p>{{/timeline}}
        {{#escalations}}<p class="overdue">逾期上报：{{stage}}（期限 {{dueOn}}）于 {{escalatedAt}} 由节点 {{node}} 上报</p>{{/escalations}}
        </section>
        {{/view}}
        """

    /// The public notice, for printing at the village.
    static let caseNotice = """
        <section class="notice-print" id="public-notice">
        <h1>{{programme}}公示</h1>
        <p>根据社会救助有关规定，经入户调查、乡镇（街道）初审，现将以下申请对象予以公示：</p>
        <table><tbody>
        <tr><th>申请人</th><td id="notice-name">{{name}}</td></tr>
        <tr><th>公民身份号码</th><td>{{citizenID}}</td></tr>
        <tr><th>所在村（居）</th><td>{{villageName}}</td></tr>
        <tr><th>申请项目</th><td>{{programme}}</td></tr>
        {{#amount}}<tr><th>拟保障金额</th><td>{{amount}}</td></tr>{{/amount}}
        <tr><th>公示期</th><td id="notice-period">{{postedOn}} 至 {{endsOn}}</td></tr>
        </tbody></table>
        <p>公示期内，如有异议，请向村（居）民委员会或乡镇（街道）社会救助窗口反映。</p>
        <p class="hint">案件编号 {{caseID}}</p>
        </section>
        """

    /// The applicant's own phone page: no account, the number confirmed by a one-time code.
    static let apply = """
        <section>
        <h1>网上申请社会救助</h1>
        <p class="hint">有身份即可申请，不必知道具体救助项目：系统按全部救助项目为您筛查，并转至您所在的村（居）办理。工作人员将在 3 个工作日内联系您。</p>
        </section>
        {{#message}}<p class="notice{{^sent}} error-box{{/sent}}" id="apply-message">{{message}}</p>{{/message}}
        <form method="post" action="/apply" class="stack" id="apply-form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <section>
        <h2>申请人</h2>
        <label>姓名<input name="name" id="apply-name" value="{{name}}" required maxlength="50"></label>
        <label>公民身份号码<input name="citizenID" id="apply-id" value="{{citizenID}}" required maxlength="18" autocomplete="off"></label>
        <label>手机号码<input name="phone" id="apply-phone" value="{{phone}}" inputmode="tel" maxlength="11" required></label>
        <label>所在村（居）<select name="village" id="apply-village">{{#villages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/villages}}</select></label>
        <label>困难情况<textarea name="situation" id="apply-situation" rows="3" maxlength="1000">{{situation}}</textarea></label>
        <label class="check"><input type="checkbox" name="emergency" value="true"{{#emergency}} checked{{/emergency}}> 遇到急难（如突发重病、火灾），需要先行救助</label>
        </section>
        {{#form}}{{> householdFields}}{{/form}}
        <section>
        <button type="submit" name="action" value="code" id="apply-send-code" formnovalidate>获取验证码</button>
        <label>验证码<input name="code" id="apply-code" inputmode="numeric" maxlength="6" autocomplete="one-time-code"></label>
        <button type="submit" name="action" value="submit" id="apply-submit">提交申请</button>
        </section>
        </form>
        """

    static let applyDone = """
        <section id="apply-done">
        <h1>申请已提交</h1>
        <p class="lead" id="apply-done-message">{{message}}</p>
        <p>请记下申请编号 <strong class="code">{{caseID}}</strong>，以便查询。</p>
        </section>
        """
}
