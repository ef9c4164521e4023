"""One self-contained HTML file: inlined Leaflet, jQuery and plugins, and an offline Natural Earth basemap.

A default :class:`folium.Map` puts ten ``<script src>``/``<link href>`` tags pointing at five CDNs into the
page header (``folium.Map.default_js``/``default_css``: Leaflet, jQuery, Bootstrap 5 js/css, Bootstrap 3
glyphicons, Leaflet.awesome-markers js/css, Font Awesome, folium's awesome-rotate css). Those links are added
to ``figure.header`` by ``JSCSSMixin.render`` *while* the figure renders, so :func:`make_standalone` swaps the
figure's header for a :class:`StandaloneHeader` that, when the header itself renders (after every element has
rendered), drops each ``JavascriptLink``/``CssLink`` that folium registered under one of the ``Map``'s names
and keeps our inline ``<style>``/``<script>`` elements (added first in the header, so they load before any map
code). Of the core elements used by :mod:`maps` (Map, FeatureGroup, LayerControl, GeoJson, PolyLine, Polygon,
CircleMarker, Marker with DivIcon, Popup, Tooltip, Element/MacroElement) only ``Map`` declares CDN assets.
Links registered by other plugins under other names are left alone, so :func:`external_references`
reports them instead of the page silently breaking.

The vendored files and their licences are in ``maps/assets`` (see its README; rebuilt by
``python -m maps.build_assets``).

Examples
--------
>>> import folium
>>> m = make_standalone(folium.Map(location=[0, 0], zoom_start=2, tiles=None))
>>> external_references(m.get_root().render())
[]
"""

from __future__ import annotations

import base64
import functools
import json
import re
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any

import folium
import folium.folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.map import Layer
from jinja2 import Template

__all__ = [
    "BASEMAP_PANE",
    "LAND_COLOUR",
    "PLUGINS",
    "SEA_COLOUR",
    "RawHtml",
    "StandaloneHeader",
    "add_arrowheads",
    "add_basemap",
    "add_plugin",
    "asset_text",
    "external_references",
    "inline_assets",
    "make_standalone",
]

#: Leaflet pane holding the basemap (below Leaflet's tile pane, z-index 200, and overlays, 400).
BASEMAP_PANE = "sitmapBasemap"
#: Basemap colours: pale grey-beige land over a pale blue sea, so coloured overlays stand out.
LAND_COLOUR = "#f2efe9"
BORDER_COLOUR = "#a8a39a"
SEA_COLOUR = "#d5e6f0"

_VENDOR = {
    "leaflet_js": "vendor/leaflet-1.9.4/leaflet.js",
    "leaflet_css": "vendor/leaflet-1.9.4/leaflet.css",
    "jquery_js": "vendor/jquery-3.7.1/jquery.min.js",
    "decorator_js": "vendor/leaflet-polylinedecorator-1.6.0/leaflet.polylineDecorator.js",
    "basemap": "basemap/countries-50m.json",
    "markercluster_js": "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
    "markercluster_css": "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css",
    "markercluster_default_css": "vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
    "heat_js": "vendor/leaflet.heat-0.2.0/leaflet-heat.js",
}
#: Optional plugins (corpus maps): name → (title and licence, licence file, CSS keys, JS keys).
PLUGINS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "markercluster": (
        "Leaflet.markercluster 1.5.3 (MIT)",
        "vendor/leaflet.markercluster-1.5.3/MIT-LICENCE.txt",
        ("markercluster_css", "markercluster_default_css"),
        ("markercluster_js",),
    ),
    "heat": (
        "Leaflet.heat 0.2.0 (BSD-2-Clause; bundles simpleheat, BSD-2-Clause)",
        "vendor/leaflet.heat-0.2.0/LICENSE",
        (),
        ("heat_js",),
    ),
}
#: Names under which folium's Map registers its CDN links in the figure header.
_FOLIUM_LINK_NAMES = frozenset(
    name for name, _ in (*folium.folium.Map.default_js, *folium.folium.Map.default_css)
)
_INLINE_PREFIX = "sitmap_inline_"
_ATTRIBUTION = "Natural Earth (public domain)"
_LICENCE_FILES = (
    ("Leaflet 1.9.4", "vendor/leaflet-1.9.4/LICENSE"),
    ("jQuery 3.7.1", "vendor/jquery-3.7.1/LICENSE.txt"),
    (
        "Leaflet.PolylineDecorator 1.6.0 (bundles leaflet-rotatedmarker 0.2.0, MIT)",
        "vendor/leaflet-polylinedecorator-1.6.0/LICENSE",
    ),
    ("world-atlas 2.0.2 (basemap data: Natural Earth, public domain)", "vendor/world-atlas-2.0.2/LICENSE"),
)


def asset_text(key: str) -> str:
    """Text of a vendored asset: ``leaflet_js``, ``leaflet_css``, ``jquery_js``, ``decorator_js``, ``basemap``

    Examples
    --------
    >>> "1.9.4" in asset_text("leaflet_js")
    True
    """
    return _asset_text(key)


@functools.cache
def _asset_text(key: str) -> str:
    return (files("maps") / "assets" / _VENDOR[key]).read_text(encoding="utf-8")


def _asset_bytes(rel: str) -> bytes:
    return (files("maps") / "assets" / rel).read_bytes()


def _png_uri(rel: str) -> str:
    return "data:image/png;base64," + base64.b64encode(_asset_bytes(rel)).decode("ascii")


def _script_safe(code: str) -> str:
    """Make vendored code safe inside an inline ``<script>``: no ``</script``, no source-map comment.

    ``<\\/`` is the same text as ``</`` inside JavaScript strings and regular expressions, the only places
    minified libraries hold it. (The vendored files contain no ``<!--``; a test checks that.)
    """
    code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.MULTILINE)
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def inline_assets() -> tuple[tuple[str, str], ...]:
    """The ``(name, html)`` header snippets that replace folium's CDN links, in load order.

    A comment first carries the licence texts of everything inlined. Leaflet's CSS images become
    ``data:`` URIs and ``L.Icon.Default`` points at inlined marker images, so
    neither stylesheet nor default markers reference a file.

    Examples
    --------
    >>> [name for name, _ in inline_assets()]
    ['licences', 'leaflet_css', 'leaflet_js', 'leaflet_icons', 'jquery_js', 'decorator_js']
    """
    images = "vendor/leaflet-1.9.4/images/"
    css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda match: f'url("{_png_uri(images + match.group(1))}")',
        _asset_text("leaflet_css"),
    )
    icons = (
        "L.Icon.Default.imagePath = '';\n"
        "L.Icon.Default.mergeOptions("
        + json.dumps(
            {
                "iconUrl": _png_uri(images + "marker-icon.png"),
                "iconRetinaUrl": _png_uri(images + "marker-icon-2x.png"),
                "shadowUrl": _png_uri(images + "marker-shadow.png"),
            }
        )
        + ");"
    )
    css = css.replace("</", "<\\/")
    notices = "\n\n".join(
        f"== {title} ==\n{_asset_bytes(rel).decode('utf-8').strip()}" for title, rel in _LICENCE_FILES
    )
    notices = notices.replace("--", "- -")
    return (
        ("licences", f"<!-- Inlined third-party software and data, with their licences:\n\n{notices}\n-->"),
        ("leaflet_css", f"<style>/* Leaflet 1.9.4 (BSD-2-Clause) */\n{css}</style>"),
        ("leaflet_js", f"<script>{_script_safe(_asset_text('leaflet_js'))}</script>"),
        ("leaflet_icons", f"<script>{icons}</script>"),
        ("jquery_js", f"<script>{_script_safe(_asset_text('jquery_js'))}</script>"),
        (
            "decorator_js",
            "<script>/* Leaflet.PolylineDecorator 1.6.0 (MIT) */\n"
            f"{_script_safe(_asset_text('decorator_js'))}</script>",
        ),
    )


class RawHtml(Element):
    """Literal HTML placed in the page as it is.

    A plain ``branca.element.Element(text)`` compiles ``text`` as a Jinja template, so ``{{ … }}`` or
    ``{% raw %}`` inside article text (or inside vendored code) would be evaluated or break the page. This
    element's text is never compiled.

    Examples
    --------
    >>> RawHtml("<p>{{ this }} {% raw %}</p>").render()
    '<p>{{ this }} {% raw %}</p>'
    """

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.html_text = html

    def render(self, **kwargs: Any) -> str:
        """Return the HTML unchanged."""
        return self.html_text


class StandaloneHeader(Element):
    """A figure header that drops folium's CDN links for the Map when it renders.

    It keeps every child except ``JavascriptLink``/``CssLink`` elements registered under a name of
    ``folium.Map.default_js``/``default_css`` (those are re-added by ``Map.render`` at each render).
    """

    def render(self, **kwargs: Any) -> str:
        """Render the header without folium's Map CDN links."""
        for name in [n for n, child in self._children.items() if _is_folium_link(n, child)]:
            del self._children[name]
        return super().render(**kwargs)


def add_plugin(m: folium.Map, name: str) -> None:
    """Inline one optional vendored Leaflet plugin (see :data:`PLUGINS`) into a standalone map's header.

    Its licence text goes in a comment before the code; adding a plugin twice adds it once.

    Examples
    --------
    >>> import folium
    >>> m = make_standalone(folium.Map(tiles=None))
    >>> add_plugin(m, "markercluster"); add_plugin(m, "markercluster")
    >>> html = m.get_root().render()
    >>> html.count("/* Leaflet.markercluster 1.5.3 (MIT) */"), "L.MarkerClusterGroup" in html
    (1, True)
    """
    title, licence, css_keys, js_keys = PLUGINS[name]
    notice = _asset_bytes(licence).decode("utf-8").strip().replace("--", "- -")
    css = "".join(_asset_text(k) for k in css_keys).replace("</", "<\\/")
    code = "\n".join(_script_safe(_asset_text(k)) for k in js_keys)
    html = f"<!-- {title}:\n{notice}\n-->" + (f"<style>{css}</style>" if css else "")
    html += f"<script>/* {title} */\n{code}</script>"
    figure = m.get_root()
    assert isinstance(figure, Figure)
    # not under the inline prefix: make_standalone re-adds only its own assets and keeps this after them
    figure.header.add_child(RawHtml(html), name=f"sitmap_plugin_{name}")


def _is_folium_link(name: str, child: Element) -> bool:
    return isinstance(child, JavascriptLink | CssLink) and name in _FOLIUM_LINK_NAMES


def make_standalone(m: folium.Map) -> folium.Map:
    """Make the map's page self-contained: no CDN links, vendored Leaflet, jQuery and plugins inlined.

    Idempotent; the inline assets are placed first in the header so they load before map code.

    Parameters
    ----------
    m : folium.Map
        The map (attached to its :class:`branca.element.Figure`, as folium does on creation).

    Returns
    -------
    folium.Map
        ``m`` itself.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> make_standalone(make_standalone(m)) is m
    True
    >>> html = m.get_root().render()
    >>> html.count("Leaflet 1.9.4 (BSD-2-Clause)"), "cdn.jsdelivr" in html
    (1, False)
    """
    figure = m.get_root()
    if not isinstance(figure, Figure):
        figure = Figure()
        figure.add_child(m)
    header = figure.header
    if not isinstance(header, StandaloneHeader):
        replacement = StandaloneHeader()
        replacement._children = header._children
        replacement._parent = figure
        figure.header = replacement
        header = replacement
    existing = list(header._children.items())
    header._children.clear()
    for name, snippet in inline_assets():
        header._children[_INLINE_PREFIX + name] = RawHtml(snippet)
    for name, child in existing:
        if not name.startswith(_INLINE_PREFIX):
            header._children[name] = child
    # Nothing to fetch from the Map itself either (instance attributes: the class lists stay untouched).
    m.default_js = []
    m.default_css = []
    return m


class _Basemap(Layer):
    """The offline Natural Earth countries layer (non-interactive, its own low pane, wraps at ±360°)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            #{{ this._parent.get_name() }} { background: {{ this.sea }}; }
            .leaflet-{{ this.pane }}-pane { pointer-events: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            if (!map.getPane({{ this.pane|tojson }})) {
                map.createPane({{ this.pane|tojson }}).style.zIndex = 150;
            }
            var data = {{ this.data }};
            var scale = data.scale;
            function ring(flat) {
                var out = [], x = 0, y = 0;
                for (var i = 0; i < flat.length; i += 2) {
                    x += flat[i]; y += flat[i + 1];
                    out.push([x / scale, y / scale]);
                }
                return out;
            }
            var features = data.countries.map(function (polygons, index) {
                var outline = data.unstroked.indexOf(index) < 0;
                return {type: "Feature", properties: {outline: outline}, geometry: {type: "MultiPolygon",
                    coordinates: polygons.map(function (rings) { return rings.map(ring); })}};
            });
            var group = L.layerGroup();
            [-360, 0, 360].forEach(function (dx) {
                L.geoJSON({type: "FeatureCollection", features: features}, {
                    pane: {{ this.pane|tojson }},
                    interactive: false,
                    attribution: dx === 0 ? {{ this.attribution|tojson }} : null,
                    style: function (feature) {
                        var style = L.extend({}, {{ this.style|tojson }});
                        style.stroke = feature.properties.outline;
                        return style;
                    },
                    coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + dx); }
                }).addTo(group);
            });
            return group;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str) -> None:
        super().__init__(name=name, overlay=False, control=True, show=True)
        self._name = "Basemap"
        self.pane = BASEMAP_PANE
        self.sea = SEA_COLOUR
        self.attribution = _ATTRIBUTION
        self.style = {
            "stroke": True,
            "color": BORDER_COLOUR,
            "weight": 0.6,
            "opacity": 1,
            "fill": True,
            "fillColor": LAND_COLOUR,
            "fillOpacity": 1,
        }
        self.data = _asset_text("basemap")


def add_basemap(m: folium.Map, *, name: str = "Countries (Natural Earth)") -> None:
    """Add the offline basemap: simplified Natural Earth 1:50m countries, no tiles, no network.

    A base layer (radio button in a ``LayerControl``) drawn in its own pane below tiles and overlays, not
    interactive, with the sea colour as the map background and copies at ±360° so the world wraps when
    panned. Attribution: "Natural Earth (public domain)".

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> add_basemap(m)
    >>> "sitmap-basemap-1" in m.get_root().render()
    True
    """
    m.add_child(_Basemap(name))


class _Arrowheads(MacroElement):
    """An ``L.polylineDecorator`` drawing arrowheads along a polyline, in its direction of travel."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.polylineDecorator({{ this.line.get_name() }}, {
            patterns: [
                {offset: "12%", repeat: "25%", symbol: L.Symbol.arrowHead({
                    pixelSize: {{ this.size_px }}, polygon: true,
                    pathOptions: {stroke: false, fill: true, fillOpacity: 0.95, interactive: false,
                                  color: {{ this.color|tojson }}, fillColor: {{ this.color|tojson }}}
                })},
                {offset: "100%", repeat: 0, symbol: L.Symbol.arrowHead({
                    pixelSize: {{ this.size_px }}, polygon: true,
                    pathOptions: {stroke: false, fill: true, fillOpacity: 0.95, interactive: false,
                                  color: {{ this.color|tojson }}, fillColor: {{ this.color|tojson }}}
                })}
            ]
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, line: folium.PolyLine, color: str, size_px: int) -> None:
        super().__init__()
        self._name = "Arrowheads"
        self.line = line
        self.color = color
        self.size_px = int(size_px)


def add_arrowheads(m: folium.Map, line: folium.PolyLine, *, color: str, size_px: int = 12) -> None:
    """Draw arrowheads along ``line`` (every quarter of its length and at its end), pointing forward.

    The decorator joins the line's parent layer (so it hides with it in the layer control), or ``m`` when
    the line has no parent yet (the line is then added to ``m``).

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> line = folium.PolyLine([[39.0, 125.7], [43.1, 131.9]]).add_to(m)
    >>> add_arrowheads(m, line, color="#c0392b")
    >>> "L.polylineDecorator(" in m.get_root().render()
    True
    """
    parent = line._parent
    if parent is None:
        m.add_child(line)
        parent = m
    if size_px <= 0:
        raise ValueError(f"size_px must be positive, got {size_px!r}")
    parent.add_child(_Arrowheads(line, color, size_px))


# ---------------------------------------------------------------------------------------------------------
# Detecting external references


_NOT_REQUESTS = ("data:", "blob:", "about:", "#", "file:", "javascript:", "mailto:", "tel:")
#: Tag → attributes whose URL the browser fetches (``<a href>`` is a link, not a request).
_URL_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "track": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
    "base": ("href",),
}
_LINK_NOT_FETCHED = frozenset(
    {"canonical", "alternate", "author", "help", "license", "next", "prev", "search"}
)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_STRING = r"""(?:"([^"\\]*)"|'([^'\\]*)'|`([^`\\$]*)`)"""
_JS_REQUESTS = (
    re.compile(r"\bfetch\s*\(\s*" + _STRING),
    re.compile(r"\.open\s*\(\s*" + _STRING + r"\s*,\s*" + _STRING),
    re.compile(r"\b(?:importScripts|import|EventSource|WebSocket|Worker|SharedWorker)\s*\(\s*" + _STRING),
    re.compile(r"\bnew\s+URL\s*\(\s*" + _STRING),
    re.compile(r"\bL\.(?:tileLayer(?:\.wms)?|imageOverlay|videoOverlay)\s*\(\s*" + _STRING),
    re.compile(r"\.(?:src|href)\s*=\s*" + _STRING),
    re.compile(r"\bsendBeacon\s*\(\s*" + _STRING),
    re.compile(r"\bimport\s+[\w{}\s,*]*from\s*" + _STRING),
)
_META_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


def _requested(url: str | None) -> bool:
    if url is None:
        return False
    url = url.strip()
    return bool(url) and not url.lower().startswith(_NOT_REQUESTS)


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def _add(self, url: str | None) -> None:
        if _requested(url):
            assert url is not None
            self.found.append(url.strip())

    def _css(self, text: str) -> None:
        for match in _CSS_URL.finditer(text):
            self._add(next(g for g in match.groups() if g is not None))
        for match in _CSS_IMPORT.finditer(text):
            self._add(next(g for g in match.groups() if g is not None))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs}
        for attribute in _URL_ATTRIBUTES.get(tag, ()):
            value = values.get(attribute)
            if value is not None and attribute == "srcset":
                for candidate in value.split(","):
                    self._add(candidate.strip().split(" ")[0])
            else:
                self._add(value)
        if tag == "link":
            rel = set((values.get("rel") or "").lower().split())
            if not rel or not rel <= _LINK_NOT_FETCHED:
                self._add(values.get("href"))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            match = _META_REFRESH.search(values.get("content") or "")
            if match:
                self._add(match.group(1))
        if values.get("style"):
            self._css(values["style"] or "")
        if tag in ("script", "style"):
            self._in = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self._css(data)
        elif self._in == "script":
            for pattern in _JS_REQUESTS:
                for match in pattern.finditer(data):
                    groups = [g for g in match.groups() if g is not None]
                    # XMLHttpRequest.open(method, url): the URL is the second string.
                    self._add(groups[-1] if groups else None)
            for match in _CSS_URL.finditer(data):
                url = next(g for g in match.groups() if g is not None)
                if re.match(r"(?:https?:)?//", url, re.IGNORECASE):
                    self._add(url)


def external_references(html: str) -> list[str]:
    """Every URL the page would request that is not ``data:``, ``blob:``, ``about:``, ``#…`` or ``file:``.

    Looks at fetching attributes (``script src``, ``link href`` except purely informational ``rel``s,
    ``img src/srcset``, ``iframe``, media, ``object data``, SVG ``image``/``use``), ``url(…)`` and
    ``@import`` in CSS (``<style>`` and ``style=""``), a ``meta`` refresh, and in inline scripts string
    literals passed to ``fetch``, ``XMLHttpRequest.open``, ``import``, workers, sockets, ``L.tileLayer``
    and ``.src =``/``.href =`` assignments, plus absolute ``url(…)`` inside script strings. Relative URLs
    count (a standalone page must not need a neighbouring file); ``<a href>`` links do not. Order of
    appearance, duplicates kept.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example/x.js"></script><a href="https://x.org">x</a>')
    ['https://cdn.example/x.js']
    >>> external_references('<img src="data:image/png;base64,AAAA"><style>a{background:url(#v)}</style>')
    []
    """
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found
