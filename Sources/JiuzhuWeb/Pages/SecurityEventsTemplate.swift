extension PageTemplates {
    static let securityEvents = """
        <section>
        <form method="get" action="/security" class="row">
        <label>节点<select name="node">{{#nodes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/nodes}}</select></label>
        <label>类型<select name="kind">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></label>
        <label>起<input type="date" name="from" value="{{from}}"></label>
        <label>止<input type="date" name="to" value="{{to}}"></label>
        <button type="submit">筛选</button>
        </form>
        <p class="hint">各级节点拒绝的联邦请求。同一下级、同一类型的拒绝每分钟至多记录一次。共 {{count}} 条。</p>
        </section>
        <section>
        <table class="security"><thead><tr><th>时间</th><th>记录节点</th><th>请求方</th><th>类型</th><th>说明</th></tr></thead><tbody>
        {{#events}}<tr><td>{{at}}</td><td>{{node}}</td><td>{{peer}}</td><td>{{kind}}</td><td>{{detail}}</td></tr>{{/events}}
        </tbody></table>
        {{^events}}<p class="empty">没有符合条件的安全事件。</p>{{/events}}
        </section>
        """
}
