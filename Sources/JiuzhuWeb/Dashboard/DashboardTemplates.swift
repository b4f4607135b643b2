extension PageTemplates {
    /// The dashboard: where it stands (the node down to the scope), then each figure with its
    /// charts (inline SVG, drawn and escaped by `SVGChart`), its table and its CSV link.
    static let dashboard = """
        <p class="lead" id="dashboard-scope">{{scopeLine}}</p>
        {{#hasCrumbs}}<p class="crumbs" id="dashboard-crumbs">{{#crumbs}}{{#href}}<a href="{{href}}">{{name}}</a> › {{/href}}{{^href}}<strong>{{name}}</strong>{{/href}}{{/crumbs}}</p>{{/hasCrumbs}}
        <p class="hint">点击辖区名称查看其下一级；每张表可导出为 CSV（UTF-8，Excel 可直接打开）。</p>
        {{#figures}}
        <section class="figure" id="figure-{{id}}">
        <h2>{{title}}</h2>
        <p class="hint">{{note}}</p>
        <div class="figure-body{{#narrow}} side{{/narrow}}">
        <div class="figure-charts">{{#charts}}{{{svg}}}{{/charts}}</div>
        <div class="figure-table"><table class="figures">
        <thead><tr><th scope="col">{{rowHeading}}</th>{{#columns}}<th scope="col" class="num">{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr{{#isTotal}} class="total"{{/isTotal}}><th scope="row">{{#href}}<a href="{{href}}" class="drill">{{label}}</a>{{/href}}{{^href}}{{label}}{{/href}}{{#search}} <a href="{{search}}" class="households">{{searchText}}</a>{{/search}}</th>{{#cells}}<td class="num">{{.}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody></table></div>
        </div>
        <p class="link"><a href="{{csv}}" class="csv" id="csv-{{id}}" download>导出 CSV</a></p>
        </section>
        {{/figures}}
        """
}
