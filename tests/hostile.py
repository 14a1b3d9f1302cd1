"""Hostile inputs shared by the unit and browser tests of "nothing gets in" (issue 7).

Every payload, if it ever ran, would set ``window.__pwned`` (or open an ``alert`` dialog),
so the browser test can tell that no script ran whatever the payload's way in: a tag in text,
an attribute broken out of its quotes, a Markdown ``{: attr_list }``, or a link scheme.
"""

from __future__ import annotations

SCRIPT_TAG = "<script>window.__pwned=1</script>"
IMG_ONERROR = '<img src=x onerror="window.__pwned=1">'
QUOTE_BREAKOUT = '" onmouseover="window.__pwned=1" x="'
SINGLE_QUOTE_SVG = "'><svg onload=window.__pwned=1>"
TITLE_BREAKOUT = "</title><script>window.__pwned=1</script>"
ENTITY_TITLE_BREAKOUT = "&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"
"""Markup written as entities: harmless as text, live once something (Jinja's ``striptags``) decodes it."""

TEXT_PAYLOADS = (SCRIPT_TAG, IMG_ONERROR, QUOTE_BREAKOUT, SINGLE_QUOTE_SVG, TITLE_BREAKOUT, ENTITY_TITLE_BREAKOUT)
"""Markup that must come out as visible text wherever user data is shown."""

UNSAFE_URLS = (
    "javascript:window.__pwned=1",
    "JaVaScRiPt:window.__pwned=1",
    " javascript:window.__pwned=1",
    "java\tscript:window.__pwned=1",
    "java\nscript:window.__pwned=1",
    "\x01javascript:window.__pwned=1",
    "&#106;avascript:window.__pwned=1",
    "java&#x09;script:window.__pwned=1",
    "javascript&colon;window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    "vbscript:msgbox(1)",
    "javascript://example.org/%0Awindow.__pwned=1",
)
"""Link targets that a browser would run (or could, in some browser): never rendered as links."""

HOSTILE_BIB = r"""
@article{hostilearticle,
  author   = {{<script>window.__pwned=1</script>}},
  title    = {<img src=x onerror="window.__pwned=1"> and " onmouseover="window.__pwned=1" x="},
  journal  = {'><svg onload=window.__pwned=1>},
  volume   = {" onmouseover="window.__pwned=1},
  number   = {<b onclick="window.__pwned=1">2</b>},
  pages    = {<i>1</i>--2},
  year     = {2020},
  doi      = {javascript:window.__pwned=1},
  note     = {<script>window.__pwned=1</script>},
}
@book{hostilebook,
  author    = {Smith, <img src=x onerror="window.__pwned=1"> and Doe, Jane},
  editor    = {{'><svg onload=window.__pwned=1>}},
  title     = {A <script>window.__pwned=1</script> book},
  publisher = {<img src=x onerror="window.__pwned=1">},
  address   = {" onmouseover="window.__pwned=1},
  edition   = {<b>3</b>},
  year      = {2019},
  url       = {JaVaScRiPt:window.__pwned=1},
}
@misc{hostilemisc,
  author       = {{Group " onmouseover="window.__pwned=1}},
  title        = {Misc <svg onload=window.__pwned=1>},
  howpublished = {\url{data:text/html,<script>window.__pwned=1</script>}},
  type         = {<img src=x onerror="window.__pwned=1">},
  month        = {<script>window.__pwned=1</script>},
  year         = {2018},
}
@online{hostileonline,
  author = {{Web}},
  title  = {Online page},
  url    = {java	script:window.__pwned=1},
  year   = {2017},
}
@incollection{hostilechapter,
  author    = {Roe, Richard},
  title     = {Chapter},
  booktitle = {<img src=x onerror="window.__pwned=1"> handbook},
  editor    = {Poe, <script>window.__pwned=1</script>},
  publisher = {P},
  pages     = {<b>5</b>--9},
  year      = {2016},
  url       = {vbscript:msgbox(1)},
}
@techreport{hostilereport,
  author      = {{Agency}},
  title       = {Report},
  institution = {'><svg onload=window.__pwned=1>},
  type        = {" onmouseover="window.__pwned=1},
  number      = {<script>window.__pwned=1</script>},
  year        = {2015},
  doi         = {https://evil.example/not-a-doi},
}
@article{hostiledoi,
  author  = {Doe, John},
  title   = {A DOI full of markup},
  journal = {J},
  year    = {2014},
  doi     = {10.1234/"><img/src=x/onerror=window.__pwned=1>},
}
"""
"""Payloads in every field the formatter and exporters read; unsafe ``url``/``doi`` values."""

HOSTILE_KEYS = ("hostilearticle", "hostilebook", "hostilemisc", "hostileonline", "hostilechapter",
                "hostilereport", "hostiledoi")

HOSTILE_LEXICON = r"""
terms:
  - term: <script>window.__pwned=1</script> care
    aliases: [hostile care, '<img src=x onerror="window.__pwned=1">', '" onmouseover="window.__pwned=1" x="']
    definition: >-
      Raw <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> and
      a [script link](javascript:window.__pwned=1) and a [spaced one]( JAVASCRIPT:window.__pwned=1 )
      and [entities](java&#x09;script:window.__pwned=1), with *emphasis* and a
      [safe link](https://example.org/).
    related: ["'><svg onload=window.__pwned=1>", hostile-holding]
    references: [hostilearticle]
    source: "index.md) <img src=x onerror=\"window.__pwned=1\"> ("
  - term: 'hostile holding {: onmouseover="window.__pwned=1" }'
    id: hostile-holding
    aliases: [hostile holding]
    source: "javascript:window.__pwned=1"
    definition: |
      <div onmouseover="window.__pwned=1">block</div>

      ![pic](javascript:window.__pwned=1) and [data](data:text/html,<script>window.__pwned=1</script>)
      and <a href="javascript:window.__pwned=1">raw link</a>.
    related: ["<script>window.__pwned=1</script> care"]
    references: [hostilebook]
  - term: "'><svg onload=window.__pwned=1>"
    aliases: [svg term]
    definition: "Quote \" onmouseover=\"window.__pwned=1\" x=\" and {: onclick=\"window.__pwned=1\" }"
    id: "x\" onmouseover=\"window.__pwned=1"
  - term: </title><script>window.__pwned=1</script> title
    aliases: [title term]
    definition: A term whose page title would close the title element.
  - term: "&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt; entity"
    aliases: [entity term]
    definition: "The same, &lt;script&gt;window.__pwned=1&lt;/script&gt; written as entities."
"""
"""Payloads in every lexicon field: term, aliases, definition (raw HTML, unsafe links), related, id, source."""

HOSTILE_PAGES = {
    "index.md": """\
        # Home

        Every hostile work is cited here.[@hostilearticle; @hostilebook] Another note.[@hostilemisc, p. 3]
        More notes.[@hostileonline] [@hostilechapter] [@hostilereport] [@hostiledoi]

        The hostile care of a hostile holding goes on; the svg term, the title term and the entity term too.
        """,
}
