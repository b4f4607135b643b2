/// The one stylesheet, served by the node itself: phone first, widening on desks.
enum Stylesheet {
    static let css = """
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               margin: 0; color: #1d2733; background: #f4f6f8; line-height: 1.5; font-size: 16px; }
        header { background: #b3261e; color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap;
                 gap: .5rem; justify-content: space-between; align-items: center; }
        header a { color: #fff; text-decoration: none; font-weight: bold; font-size: 1.1rem; }
        header .code { color: #ffe1dc; }
        header .role { display: block; font-size: .85rem; }
        header button { background: transparent; color: #fff; border: 1px solid #fff; padding: .2rem .6rem; }
        nav { background: #fff; border-bottom: 1px solid #e3e7eb; padding: .25rem .5rem; overflow-x: auto;
              white-space: nowrap; }
        nav a { display: inline-block; padding: .5rem .75rem; color: #b3261e; text-decoration: none; }
        main { padding: 1rem; max-width: 60rem; margin: 0 auto; }
        h1 { font-size: 1.3rem; margin: 0 0 1rem; }
        h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
        section { background: #fff; border-radius: .5rem; padding: .75rem 1rem; margin-bottom: 1rem; overflow-x: auto; }
        .neighbour { border-top: 1px solid #e3e7eb; padding: .5rem 0; }
        .neighbour p { margin: 0; }
        .code { font-family: monospace; color: #55616d; }
        .state.reachable { color: #1b7f3b; }
        .state.unreachable { color: #b3261e; font-weight: bold; }
        .state.unknown { color: #8a6d00; }
        .link { margin: .25rem 0; font-size: .9rem; }
        .error { color: #6b7680; font-size: .85rem; word-break: break-all; }
        .hint, .empty { color: #6b7680; font-size: .9rem; }
        .notice { border-left: 4px solid #1b7f3b; }
        .error-box { border-left: 4px solid #b3261e; background: #fff; padding: .5rem .75rem; }
        .secret { font-family: monospace; font-size: 1.4rem; letter-spacing: .1rem; }
        form.stack label { display: block; margin-bottom: .75rem; }
        form.stack input, form.stack select { display: block; width: 100%; padding: .6rem; font-size: 1rem;
              border: 1px solid #c4ccd4; border-radius: .3rem; margin-top: .25rem; }
        form.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
        form.row input { padding: .4rem; }
        form.inline { display: inline; }
        button { background: #b3261e; color: #fff; border: 0; border-radius: .3rem; padding: .6rem 1rem;
                 font-size: 1rem; cursor: pointer; }
        form.inline button { padding: .25rem .5rem; font-size: .85rem; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: .35rem .5rem; border-top: 1px solid #e3e7eb; vertical-align: top; }
        tr.refused td, tr.failed td { background: #fdf0ef; }
        fieldset.member { border: 1px solid #e3e7eb; border-radius: .3rem; margin: 0 0 .75rem; padding: .5rem .75rem; }
        label.check { display: inline-block; margin-right: 1rem; }
        form.stack label.check input { display: inline; width: auto; }
        textarea { width: 100%; font-family: monospace; font-size: .85rem; }
        .programme.eligible { border-left: 4px solid #1b7f3b; }
        .calc { font-family: monospace; background: #f4f6f8; padding: .4rem; }
        details { border-top: 1px solid #e3e7eb; padding: .4rem 0; }
        .overdue, tr.overdue td { color: #b3261e; }
        li.void { color: #8a949e; text-decoration: line-through; }
        img.photo { max-width: 8rem; max-height: 8rem; margin: .25rem; border: 1px solid #e3e7eb; }
        #case-timeline li { margin-bottom: .5rem; }
        .crumbs { font-size: .9rem; }
        svg.chart { display: block; width: 100%; height: auto; max-width: 28rem; margin: 0 0 .75rem; }
        .figure-table { overflow-x: auto; }
        table.figures tbody th, table.figures td { white-space: nowrap; }
        table.figures thead th { font-size: .8rem; vertical-align: bottom; min-width: 4.5em; }
        table.figures .num { text-align: right; font-variant-numeric: tabular-nums; }
        table.figures tr.total th, table.figures tr.total td { font-weight: bold; border-top: 2px solid #1d2733; }
        @media (min-width: 64rem) { .figure-body.side { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
              gap: 1rem; align-items: start; } }
        @media print { header, nav, footer { display: none; } section { border: 0; } a.csv { display: none; }
              section.figure { break-inside: avoid; } }
        footer { text-align: center; color: #6b7680; font-size: .85rem; padding-bottom: 1rem; }
        @media (min-width: 48rem) { main { padding: 1.5rem; } }
        """
}
