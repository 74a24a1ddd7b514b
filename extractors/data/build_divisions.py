"""How ``divisions.json`` (the gazetteer of administrative divisions) was built.

Not imported by the project: run by hand when the list is to be refreshed, on the
two wheels named below (``pip download --no-deps GB2260==0.4.1 cpca==0.5.5``)::

    python extractors/data/build_divisions.py GB2260-0.4.1-py2.py3-none-any.whl \
        cpca-0.5.5-py3-none-any.whl > extractors/data/divisions.json

Sources (checked before use: licence, authors, history, spot checks of codes):

* ``GB2260`` 0.4.1 on PyPI (sha256 7708e269...2f10), by Jiangge Zhang
  <tonyseek@gmail.com>, BSD licence, github.com/cn/GB2260.py (the ``cn``
  organisation that also keeps the GB2260 data repository). ``gb2260/data.py``
  holds the GB/T 2260 code tables of the National Bureau of Statistics for every
  revision 2002-2014 (17 tables): the era of the old 13- and 15-digit 注册号,
  with names since changed (襄樊市 420600, renamed 襄阳市 in 2010).
* ``cpca`` 0.5.5 on PyPI (sha256 1635b589...4fe6), by DQinYuan (Du QinYuan),
  MIT licence, github.com/DQinYuan/chinese_province_city_area_mapper:
  ``cpca/resources/adcodes.csv``, the 2020 county-level table (adds the
  districts created 2015-2020, e.g. 静海区 120118, 开州区 500154).

Spot-checked against the codes printed on the real licences: 140200 大同市,
520327 凤冈县 (under 520300 遵义市), 420600 襄樊市, 110105 朝阳区, 440300 深圳市.

The data are the state's published division codes (GB/T 2260, a public standard);
both packages' licences allow redistribution with attribution, given here and in
``divisions.json``'s ``sources``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile

# placeholders in the tables, not names a company or an address would carry
_SKIP_SUFFIX = ("位", "划", "域")
_KEEP_SUFFIX = tuple("省市县区旗州盟")


def _gb2260(path: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as z:
        src = z.read("gb2260/data.py").decode("utf-8")
    ns: dict = {}
    exec(compile(src, "gb2260/data.py", "exec"), ns)  # a literal dict of dicts
    for table in ns["data"].values():
        for code, name in table.items():
            out.setdefault(f"{int(code):06d}", set()).add(str(name))
    return out


def _cpca(path: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as z:
        text = z.read("cpca/resources/adcodes.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        out.setdefault(row["adcode"][:6], set()).add(row["name"])
    return out


def build(gb_wheel: str, cpca_wheel: str) -> dict:
    merged: dict[str, set[str]] = {}
    for part in (_gb2260(gb_wheel), _cpca(cpca_wheel)):
        for code, names in part.items():
            merged.setdefault(code, set()).update(names)
    divisions = {}
    for code in sorted(merged):
        names = sorted(
            n for n in merged[code]
            if len(n) >= 2 and n.endswith(_KEEP_SUFFIX) and not n.endswith(_SKIP_SUFFIX)
            and n not in ("市辖区",) and "直辖" not in n
        )
        if names:
            divisions[code] = names
    return {
        "about": "Administrative divisions of China down to county level (GB/T 2260 codes), "
                 "every name a code has carried 2002-2020. Built by extractors/data/build_divisions.py.",
        "sources": [
            "GB2260 0.4.1 (PyPI; Jiangge Zhang; BSD; github.com/cn/GB2260.py): GB/T 2260 tables 2002-2014",
            "cpca 0.5.5 (PyPI; DQinYuan; MIT; github.com/DQinYuan/chinese_province_city_area_mapper): "
            "adcodes.csv, 2020",
        ],
        "divisions": divisions,
    }


if __name__ == "__main__":
    data = build(sys.argv[1], sys.argv[2])
    # one division a line: readable diffs when the list is refreshed
    head = {k: v for k, v in data.items() if k != "divisions"}
    lines = [json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "divisions": {']
    items = list(data["divisions"].items())
    for i, (code, names) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        lines.append(f'  "{code}": {json.dumps(names, ensure_ascii=False)}{sep}')
    lines.append(" }\n}")
    sys.stdout.write("\n".join(lines) + "\n")
