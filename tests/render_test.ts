/**
 * Tests of the SVG renderers: every chart must parse as standalone XML, carry
 * a title and description, reference nothing outside itself, come out the
 * same twice, and match its snapshot under tests/snapshots/render/. Set
 * UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
 */

import assert from "node:assert/strict";
import {
  CLUSTER_PALETTE,
  clusterColor,
  clusterMask,
  countClusterSizes,
  NOISE_COLOR,
  renderClusterSizes,
  renderHistogram,
  renderScatter,
  renderTopValues,
  THEME_COLORS,
} from "../render/mod.ts";
import { binBothGroups } from "../render/histogram.ts";
import { layoutLegend } from "../render/legend.ts";
import { truncateText } from "../render/format.ts";
import {
  escapeXmlAttribute,
  escapeXmlText,
  replaceInvalidXmlCharacters,
  roundNumbers,
} from "../render/xml.ts";

import {
  allText,
  elementsOf,
  firstElementChildren,
  parseXml,
  textOf,
  type XmlTree,
} from "./_xml.ts";
import { createRandom, gaussianBlobs } from "./_blobs.ts";

const MALFORMED: Readonly<Record<string, string>> = {
  "bare ampersand": "<svg>a & b</svg>",
  "HTML entity": "<svg>a&nbsp;b</svg>",
  "< in attribute": '<svg a="<"/>',
  "unquoted attribute": "<svg a=1/>",
  "duplicate attribute": '<svg a="1" a="2"/>',
  "mismatched end tag": "<svg><g></svg></g>",
  "unclosed element": "<svg><g>",
  "control character": "<svg>a\u0001b</svg>",
  "second root": "<svg/><svg/>",
};

for (const [name, source] of Object.entries(MALFORMED)) {
  Deno.test(`parseXml rejects ${name}`, () => {
    assert.throws(() => parseXml(source), SyntaxError);
  });
}

Deno.test("parseXml decodes references", () => {
  const tree = parseXml('<svg a="&quot;&#60;"><t>&amp;&#x1F680;</t></svg>');
  assert.equal(tree.attributes.get("a"), '"<');
  assert.equal(textOf(tree), "&🚀");
});

// ---------------------------------------------------------------------------
// Snapshots

const SNAPSHOT_DIRECTORY = new URL("./snapshots/render/", import.meta.url);

/**
 * Rounds numbers in attribute values to one decimal and renumbers element ids
 * and Plot's generated class names, so a snapshot changes only when the
 * drawing does.
 */
function normalizeSvg(svg: string): string {
  const ids = new Map<string, string>();
  let normalized = svg.replace(/\bid="([^"]*)"/g, (_, id: string) => {
    const renamed = `id-${ids.size + 1}`;
    ids.set(id, renamed);
    return `id="${renamed}"`;
  });
  for (const [id, renamed] of ids) {
    normalized = normalized.replaceAll(`#${id}"`, `#${renamed}"`)
      .replaceAll(`#${id})`, `#${renamed})`);
  }
  const classes = new Map<string, string>();
  normalized = normalized.replace(/\bplot-[0-9a-f]{6}\b/g, (name) => {
    if (!classes.has(name)) classes.set(name, `plot-${classes.size + 1}`);
    return classes.get(name)!;
  });
  normalized = normalized.replace(
    /="([^"]*)"/g,
    (_, value: string) =>
      `="${
        value.replace(
          /-?\d+\.\d+/g,
          (n) => String(Math.round(Number(n) * 10) / 10),
        )
      }"`,
  );
  return `${normalized}\n`;
}

async function removeIfPresent(url: URL): Promise<void> {
  try {
    await Deno.remove(url);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Compares an SVG with its snapshot. On a mismatch it writes NAME-changed.svg
 * beside the snapshot and fails. A missing snapshot is written, except under
 * CI, where it fails.
 */
async function assertSnapshot(name: string, svg: string): Promise<void> {
  const actual = normalizeSvg(svg);
  const expectedUrl = new URL(`${name}.svg`, SNAPSHOT_DIRECTORY);
  const changedUrl = new URL(`${name}-changed.svg`, SNAPSHOT_DIRECTORY);
  let expected: string | undefined;
  try {
    expected = await Deno.readTextFile(expectedUrl);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }

  const update = Deno.env.get("UPDATE_SNAPSHOTS") === "1";
  if (expected === undefined && !update && Deno.env.get("CI") === "true") {
    assert.fail(
      `snapshot ${name}.svg is missing; run the tests with UPDATE_SNAPSHOTS=1 and commit it`,
    );
  }
  if (expected === undefined || update) {
    await Deno.mkdir(SNAPSHOT_DIRECTORY, { recursive: true });
    await Deno.writeTextFile(expectedUrl, actual);
    await removeIfPresent(changedUrl);
    return;
  }
  if (actual === expected) {
    await removeIfPresent(changedUrl);
    return;
  }
  await Deno.writeTextFile(changedUrl, actual);
  assert.fail(
    `${name}.svg differs from its snapshot; compare with ${name}-changed.svg, or rerun with UPDATE_SNAPSHOTS=1 to accept the change`,
  );
}

// ---------------------------------------------------------------------------
// Data

const BLOBS = gaussianBlobs(300, 5, 1);
const random = createRandom(2);
const PRICES = Float64Array.from(
  BLOBS.x,
  (x) =>
    random() < 0.05 ? NaN : Math.round((x * 3 + random() * 10) * 100) / 100,
);
const CITIES = ["Zürich", "São Paulo", "東京", "Lagos", "Lima", "", null];
const CITY_VALUES = Array.from(
  BLOBS.labels,
  (label) => CITIES[(label + 1 + Math.floor(random() * 3)) % CITIES.length]!,
);
const HOSTILE = `a "quoted" <b>bold</b> & 'single' — ünïcödé 🚀`;

/** Every chart in the snapshot suite, each a few hundred rows or fewer. */
const CHARTS: Readonly<Record<string, () => string>> = {
  "scatter-dots": () => renderScatter({ ...BLOBS }),
  "scatter-density": () => renderScatter({ ...BLOBS, maxDots: 100 }),
  "scatter-dark": () =>
    renderScatter({ ...BLOBS, theme: "dark", width: 360, height: 240 }),
  "scatter-all-noise": () =>
    renderScatter({
      x: BLOBS.x.slice(0, 12),
      y: BLOBS.y.slice(0, 12),
      labels: new Int32Array(12).fill(-1),
      minClusterSize: 15,
    }),
  "scatter-empty": () =>
    renderScatter({
      x: new Float32Array(),
      y: new Float32Array(),
      labels: new Int32Array(),
    }),
  "cluster-sizes": () => renderClusterSizes({ labels: BLOBS.labels }),
  "cluster-sizes-all-noise": () =>
    renderClusterSizes({ labels: new Int32Array(12).fill(-1) }),
  "cluster-sizes-empty": () =>
    renderClusterSizes({ sizes: [], theme: "dark", transparent: true }),
  "histogram": () =>
    renderHistogram({
      values: PRICES,
      selection: clusterMask(BLOBS.labels, 2),
      column: "price",
      cluster: 2,
    }),
  "histogram-single-value": () =>
    renderHistogram({
      values: new Float64Array(12).fill(3.5),
      selection: new Uint8Array(12).fill(1),
      column: "constant",
      cluster: 0,
    }),
  "histogram-all-missing": () =>
    renderHistogram({
      values: new Float64Array(12).fill(NaN),
      selection: new Uint8Array(12).fill(1),
      column: "empty",
      cluster: 0,
    }),
  "top-values": () =>
    renderTopValues({
      values: CITY_VALUES,
      selection: clusterMask(BLOBS.labels, 3),
      column: "city",
      cluster: 3,
    }),
  "top-values-escaping": () =>
    renderTopValues({
      values: [HOSTILE, HOSTILE, "<script>alert(1)</script>", null, "x\u0001y"],
      selection: new Uint8Array([1, 1, 1, 1, 1]),
      column: HOSTILE,
      cluster: 4,
      title: HOSTILE,
    }),
  "top-values-all-missing": () =>
    renderTopValues({
      values: [null, null, "a"],
      selection: new Uint8Array([1, 1, 0]),
      column: "city",
      cluster: 0,
    }),
};

// ---------------------------------------------------------------------------
// Properties every chart shares

for (const [name, render] of Object.entries(CHARTS)) {
  Deno.test(`${name} parses as XML`, () => {
    const tree = parseXml(render());
    assert.equal(tree.name, "svg");
    assert.equal(tree.attributes.get("xmlns"), "http://www.w3.org/2000/svg");
  });

  Deno.test(`${name} has size and viewBox`, () => {
    const tree = parseXml(render());
    const width = tree.attributes.get("width");
    const height = tree.attributes.get("height");
    assert.match(width ?? "", /^\d+$/);
    assert.match(height ?? "", /^\d+$/);
    assert.equal(tree.attributes.get("viewBox"), `0 0 ${width} ${height}`);
  });

  Deno.test(`${name} starts with title and desc`, () => {
    const [first, second] = firstElementChildren(parseXml(render()));
    assert.equal(first?.name, "title");
    assert.equal(second?.name, "desc");
    assert.notEqual(textOf(first!).trim(), "");
    assert.notEqual(textOf(second!).trim(), "");
  });

  Deno.test(`${name} has no external references`, () => {
    const svg = render();
    assert.doesNotMatch(svg, /href="http/i);
    assert.doesNotMatch(svg, /url\(\s*['"]?http/i);
    assert.doesNotMatch(svg, /@import/i);
    assert.doesNotMatch(svg, /<style/);
    assert.doesNotMatch(svg, /currentColor/);
  });

  Deno.test(`${name} is deterministic`, () => {
    assert.equal(render(), render());
  });

  Deno.test(`${name} matches snapshot`, async () => {
    await assertSnapshot(name, render());
  });
}

Deno.test("smallest charts keep a plot area", () => {
  const small = { width: 200, height: 160 };
  const many = gaussianBlobs(2000, 40, 4);
  const tree = parseXml(renderScatter({ ...many, ...small }));
  const frame = elementsOf(tree, "rect")
    .find((rect) => rect.attributes.get("aria-label") === "frame");
  assert.ok(frame !== undefined);
  assert.ok(Number(frame.attributes.get("height")) > 40);
});

Deno.test("smallest charts parse as XML", () => {
  const small = { width: 200, height: 160 };
  const selection = clusterMask(BLOBS.labels, 1);
  const svgs = [
    renderClusterSizes({ labels: BLOBS.labels, ...small }),
    renderHistogram({
      values: PRICES,
      selection,
      column: "price",
      cluster: 1,
      ...small,
    }),
    renderTopValues({
      values: CITY_VALUES,
      selection,
      column: "city",
      cluster: 1,
      ...small,
    }),
  ];
  for (const svg of svgs) assert.equal(parseXml(svg).name, "svg");
});

// ---------------------------------------------------------------------------
// Palette

Deno.test("clusterColor noise is grey", () => {
  assert.equal(clusterColor(-1), NOISE_COLOR);
});

Deno.test("clusterColor wraps the palette", () => {
  assert.equal(clusterColor(0), CLUSTER_PALETTE[0]);
  assert.equal(clusterColor(CLUSTER_PALETTE.length), CLUSTER_PALETTE[0]);
  assert.equal(clusterColor(CLUSTER_PALETTE.length + 3), clusterColor(3));
});

Deno.test("clusterColor rejects invalid labels", () => {
  assert.throws(() => clusterColor(-2), RangeError);
  assert.throws(() => clusterColor(1.5), RangeError);
  assert.throws(() => clusterColor(NaN), RangeError);
});

Deno.test("palette colours are distinct", () => {
  const colours = [...CLUSTER_PALETTE, NOISE_COLOR];
  assert.equal(new Set(colours).size, colours.length);
});

Deno.test("palette colours far apart in OKLab", () => {
  const colours = [...CLUSTER_PALETTE, NOISE_COLOR];
  let closest = { distance: Infinity, pair: "" };
  for (let i = 0; i < colours.length; i++) {
    for (let j = i + 1; j < colours.length; j++) {
      const distance = Math.hypot(
        ...oklab(colours[i]!).map((value, t) => value - oklab(colours[j]!)[t]!),
      );
      if (distance < closest.distance) {
        closest = { distance, pair: `${colours[i]} and ${colours[j]}` };
      }
    }
  }
  // The first ten colours are 0.068 apart at the closest.
  assert.ok(closest.distance >= 0.065, `${closest.pair}: ${closest.distance}`);
});

/** Converts a #rrggbb colour to OKLab (L, a, b). */
function oklab(hex: string): number[] {
  const [r, g, b] = [1, 3, 5].map((i) =>
    parseInt(hex.slice(i, i + 2), 16) / 255
  )
    .map((c) => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const l = Math.cbrt(
    0.4122214708 * r! + 0.5363325363 * g! + 0.0514459929 * b!,
  );
  const m = Math.cbrt(
    0.2119034982 * r! + 0.6806995451 * g! + 0.1073969566 * b!,
  );
  const s = Math.cbrt(
    0.0883024619 * r! + 0.2817188376 * g! + 0.6299787005 * b!,
  );
  return [
    0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s,
  ];
}

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * channels[0]! + 0.7152 * channels[1]! +
    0.0722 * channels[2]!;
}

function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)]
    .sort((p, q) => q - p);
  return (light! + 0.05) / (dark! + 0.05);
}

Deno.test("palette contrast on both themes", () => {
  for (const colour of [...CLUSTER_PALETTE, NOISE_COLOR]) {
    for (const theme of ["light", "dark"] as const) {
      const background = THEME_COLORS[theme].background;
      const ratio = contrastRatio(colour, background);
      assert.ok(ratio >= 3, `${colour} on ${background}: ${ratio.toFixed(2)}`);
    }
  }
});

// ---------------------------------------------------------------------------
// XML helpers

Deno.test("escapeXmlText escapes markup", () => {
  assert.equal(escapeXmlText(`a<b>&"c"`), `a&lt;b&gt;&amp;"c"`);
});

Deno.test("escapeXmlAttribute escapes quotes and whitespace", () => {
  assert.equal(escapeXmlAttribute(`"<&>"`), "&quot;&lt;&amp;&gt;&quot;");
  assert.equal(escapeXmlAttribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
});

Deno.test("replaceInvalidXmlCharacters keeps valid text", () => {
  assert.equal(replaceInvalidXmlCharacters("ü 東京 🚀\t\n"), "ü 東京 🚀\t\n");
});

Deno.test("replaceInvalidXmlCharacters replaces controls", () => {
  assert.equal(
    replaceInvalidXmlCharacters("a\u0000b\u001fc"),
    "a\uFFFDb\uFFFDc",
  );
});

Deno.test("replaceInvalidXmlCharacters replaces lone surrogates", () => {
  assert.equal(replaceInvalidXmlCharacters("a\uD83Db"), "a\uFFFDb");
  assert.equal(replaceInvalidXmlCharacters("a\uDE80b"), "a\uFFFDb");
});

Deno.test("roundNumbers rounds decimals", () => {
  assert.equal(
    roundNumbers("translate(40.004,139.99999999999997)", 1),
    "translate(40,140)",
  );
  assert.equal(roundNumbers("M0,4.619L-4.25,2.3", 2), "M0,4.62L-4.25,2.3");
  assert.equal(roundNumbers("M1e-7,0", 1), "M0,0");
});

Deno.test("roundNumbers keeps units", () => {
  assert.equal(roundNumbers("0.71em", 1), "0.7em");
});

Deno.test("truncateText keeps surrogate pairs", () => {
  const truncated = truncateText("🚀".repeat(40), 60, 10);
  assert.ok(truncated.endsWith("…"));
  assert.equal(replaceInvalidXmlCharacters(truncated), truncated);
});

// ---------------------------------------------------------------------------
// Escaping of user text

Deno.test("escaping of hostile column names", () => {
  const svg = CHARTS["top-values-escaping"]!();
  const tree = parseXml(svg);
  assert.doesNotMatch(svg, /<b>/);
  assert.doesNotMatch(svg, /<script>/);
  assert.match(svg, /&lt;script&gt;/);
  assert.equal(textOf(firstElementChildren(tree)[0]!), HOSTILE);
});

Deno.test("escaping of hostile values", () => {
  const text = allText(CHARTS["top-values-escaping"]!());
  assert.ok(text.includes("<script>alert(1)</script>"));
  assert.ok(text.includes("x\uFFFDy"));
  assert.ok(text.includes("(missing)"));
});

Deno.test("escaping of histogram column", () => {
  const svg = renderHistogram({
    values: PRICES,
    selection: clusterMask(BLOBS.labels, 1),
    column: HOSTILE,
    cluster: 1,
  });
  const tree = parseXml(svg);
  assert.doesNotMatch(svg, /<b>/);
  assert.ok(textOf(tree).includes(HOSTILE));
});

Deno.test("escaping of scatter title", () => {
  const svg = renderScatter({ ...BLOBS, title: HOSTILE });
  const [title] = firstElementChildren(parseXml(svg));
  assert.equal(textOf(title!), HOSTILE);
});

// ---------------------------------------------------------------------------
// Scatter

Deno.test("scatter draws one dot per point", () => {
  const tree = parseXml(renderScatter({ ...BLOBS }));
  const plotDots = elementsOf(tree, "circle")
    .filter((circle) => circle.children.length > 0);
  assert.equal(plotDots.length, BLOBS.x.length);
});

Deno.test("scatter dot tooltips name row and cluster", () => {
  const text = allText(renderScatter({ ...BLOBS }));
  const row = BLOBS.labels.findIndex((label) => label === 2);
  const noiseRow = BLOBS.labels.indexOf(-1);
  assert.ok(text.includes(`row ${row}, cluster 2`));
  assert.ok(text.includes(`row ${noiseRow}, noise`));
});

Deno.test("scatter tooltips use rowNumbers", () => {
  const rowNumbers = Int32Array.from(BLOBS.x, (_, i) => 1000 + i);
  const text = allText(renderScatter({ ...BLOBS, rowNumbers }));
  assert.ok(text.includes(`row 1000, `));
  assert.ok(!text.includes(`row 0, `));
});

Deno.test("scatter draws noise underneath", () => {
  const svg = renderScatter({ ...BLOBS });
  const lastNoise = svg.lastIndexOf(", noise</title>");
  const firstCluster = svg.indexOf(", cluster ");
  assert.ok(lastNoise > 0);
  assert.ok(firstCluster > lastNoise);
});

Deno.test("scatter colours dots by cluster", () => {
  const tree = parseXml(renderScatter({ ...BLOBS }));
  for (const circle of elementsOf(tree, "circle")) {
    const tooltip = /cluster (\d+)$/.exec(textOf(circle));
    if (tooltip === null) continue;
    assert.equal(
      circle.attributes.get("fill"),
      clusterColor(Number(tooltip[1])),
    );
  }
});

Deno.test("scatter switches to density above maxDots", () => {
  const atLimit = parseXml(renderScatter({ ...BLOBS, maxDots: 300 }));
  const aboveLimit = parseXml(renderScatter({ ...BLOBS, maxDots: 299 }));
  assert.equal(elementsOf(atLimit, "path").filter(isHexagon).length, 0);
  assert.ok(elementsOf(aboveLimit, "path").filter(isHexagon).length > 0);
  assert.equal(
    elementsOf(aboveLimit, "circle").filter((c) => c.children.length > 0)
      .length,
    0,
  );
});

function isHexagon(path: XmlTree): boolean {
  return (path.attributes.get("d") ?? "").split("L").length === 6;
}

Deno.test("scatter density colours by dominant cluster", () => {
  const tree = parseXml(renderScatter({ ...BLOBS, maxDots: 0 }));
  const hexagons = elementsOf(tree, "path").filter(isHexagon);
  const allowed = new Set([...CLUSTER_PALETTE, NOISE_COLOR]);
  for (const hexagon of hexagons) {
    const fill = hexagon.attributes.get("fill");
    if (fill !== undefined) assert.ok(allowed.has(fill), fill);
    assert.match(
      hexagon.attributes.get("fill-opacity") ?? "",
      /^[01](\.\d+)?$/,
    );
  }
  assert.ok(textOf(tree).includes("% in cluster"));
});

Deno.test("scatter density of 200k points under 1 MB", () => {
  const { x, y, labels } = gaussianBlobs(200_000, 12, 3);
  const svg = renderScatter({ x, y, labels });
  const bytes = new TextEncoder().encode(svg).length;
  assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  assert.ok(allText(svg).includes("hexagons"));
});

Deno.test("scatter all noise shows note", () => {
  const text = allText(CHARTS["scatter-all-noise"]!());
  assert.ok(
    text.includes(
      "No cluster reached min_cluster_size (15), so all 12 rows are noise.",
    ),
  );
});

Deno.test("scatter empty shows note", () => {
  const text = allText(CHARTS["scatter-empty"]!());
  assert.ok(text.includes("The table has no rows"));
});

Deno.test("scatter leaves out non-finite points", () => {
  const x = Float32Array.from([0, 1, NaN, 3]);
  const y = Float32Array.from([0, 1, 2, Infinity]);
  const text = allText(renderScatter({ x, y, labels: new Int32Array(4) }));
  assert.ok(text.includes("2 rows without finite coordinates left out."));
});

Deno.test("scatter without finite points shows note", () => {
  const x = Float32Array.from([NaN, NaN]);
  const text = allText(
    renderScatter({ x, y: new Float32Array(2), labels: new Int32Array(2) }),
  );
  assert.ok(text.includes("None of the 2 rows has finite coordinates"));
});

Deno.test("scatter rejects mismatched lengths", () => {
  assert.throws(
    () =>
      renderScatter({
        x: new Float32Array(3),
        y: new Float32Array(2),
        labels: new Int32Array(3),
      }),
    RangeError,
  );
});

Deno.test("scatter rejects labels below -1", () => {
  assert.throws(
    () =>
      renderScatter({
        x: new Float32Array(2),
        y: new Float32Array(2),
        labels: Int32Array.from([0, -2]),
      }),
    /row 1 has label -2/,
  );
});

Deno.test("scatter light background", () => {
  const svg = renderScatter({ ...BLOBS });
  const background = firstElementChildren(parseXml(svg))[2]!;
  assert.equal(background.name, "rect");
  assert.equal(
    background.attributes.get("fill"),
    THEME_COLORS.light.background,
  );
});

Deno.test("scatter dark theme colours", () => {
  const tree = parseXml(renderScatter({ ...BLOBS, theme: "dark" }));
  const background = firstElementChildren(tree)[2]!;
  assert.equal(background.attributes.get("fill"), THEME_COLORS.dark.background);
  assert.equal(tree.attributes.get("fill"), THEME_COLORS.dark.text);
});

Deno.test("scatter transparent has no background", () => {
  const tree = parseXml(renderScatter({ ...BLOBS, transparent: true }));
  const third = firstElementChildren(tree)[2]!;
  assert.notEqual(third.name, "rect");
});

Deno.test("scatter rejects invalid width", () => {
  assert.throws(() => renderScatter({ ...BLOBS, width: 50 }), /width 50/);
});

Deno.test("scatter rejects invalid theme", () => {
  assert.throws(
    // @ts-expect-error: the theme comes from untyped input here
    () => renderScatter({ ...BLOBS, theme: "blue" }),
    RangeError,
  );
});

// ---------------------------------------------------------------------------
// Cluster sizes

Deno.test("cluster sizes puts noise last and grey", () => {
  const tree = parseXml(renderClusterSizes({ labels: BLOBS.labels }));
  const bars = elementsOf(tree, "rect").filter((rect) =>
    textOf(rect).includes("rows (")
  );
  const last = bars.at(-1)!;
  assert.ok(textOf(last).startsWith("noise:"));
  assert.equal(last.attributes.get("fill"), NOISE_COLOR);
});

Deno.test("cluster sizes colours bars by cluster", () => {
  const tree = parseXml(renderClusterSizes({ labels: BLOBS.labels }));
  const bars = elementsOf(tree, "rect").filter((rect) =>
    textOf(rect).startsWith("cluster ")
  );
  assert.equal(bars.length, 5);
  for (const bar of bars) {
    const label = Number(/^cluster (\d+)/.exec(textOf(bar))![1]);
    assert.equal(bar.attributes.get("fill"), clusterColor(label));
  }
});

Deno.test("cluster sizes from labels or sizes", () => {
  const fromLabels = renderClusterSizes({ labels: BLOBS.labels });
  const fromSizes = renderClusterSizes({
    sizes: countClusterSizes(BLOBS.labels).reverse(),
  });
  assert.equal(fromSizes, fromLabels);
});

Deno.test("cluster sizes counts only where they fit", () => {
  const sizes = (bars: number) =>
    Array.from({ length: bars }, (_, i) => ({ label: i - 1, count: 2650 + i }));
  const countLabels = (svg: string) =>
    (svg.match(/>2,6\d\d<\/text>/g) ?? []).length;
  const few = renderClusterSizes({ sizes: sizes(4), width: 640, height: 400 });
  assert.equal(countLabels(few), 4);
  // 21 bars of 640 px leave each about 25 px, narrower than "2,670".
  const many = renderClusterSizes({
    sizes: sizes(21),
    width: 640,
    height: 400,
  });
  assert.equal(countLabels(many), 0);
});

Deno.test("cluster sizes tick labels keep apart", () => {
  const sizes = Array.from({ length: 27 }, (_, i) => ({
    label: i - 1,
    count: 50 + i,
  }));
  for (const width of [200, 250, 300, 640]) {
    const svg = renderClusterSizes({ sizes, width, height: 300 });
    const start = svg.indexOf('aria-label="x-axis tick label"');
    const axis = svg.slice(start, svg.indexOf("</g>", start));
    const xs = [...axis.matchAll(/<text transform="translate\(([\d.]+),/g)]
      .map((match) => Number(match[1]));
    assert.ok(axis.includes(">noise</text>"), `no noise tick at ${width} px`);
    for (let i = 1; i < xs.length; i++) {
      assert.ok(
        xs[i]! - xs[i - 1]! >= 20,
        `ticks ${xs[i - 1]} and ${xs[i]} at ${width} px`,
      );
    }
  }
});

Deno.test("cluster sizes by size order", () => {
  const text = allText(
    renderClusterSizes({
      sizes: [{ label: -1, count: 50 }, { label: 0, count: 5 }, {
        label: 1,
        count: 9,
      }],
      order: "size",
    }),
  );
  assert.ok(text.indexOf("cluster 1:") < text.indexOf("cluster 0:"));
  assert.ok(text.indexOf("cluster 0:") < text.indexOf("noise:"));
});

Deno.test("cluster sizes all noise shows note", () => {
  const text = allText(CHARTS["cluster-sizes-all-noise"]!());
  assert.ok(
    text.includes(
      "No cluster reached min_cluster_size, so all 12 rows are noise.",
    ),
  );
});

Deno.test("cluster sizes empty shows note", () => {
  const text = allText(CHARTS["cluster-sizes-empty"]!());
  assert.ok(text.includes("The table has no rows"));
});

Deno.test("cluster sizes rejects repeated labels", () => {
  assert.throws(
    () =>
      renderClusterSizes({
        sizes: [{ label: 0, count: 1 }, { label: 0, count: 2 }],
      }),
    /appears twice/,
  );
});

Deno.test("cluster sizes rejects negative counts", () => {
  assert.throws(
    () => renderClusterSizes({ sizes: [{ label: 0, count: -1 }] }),
    RangeError,
  );
});

Deno.test("cluster sizes thins ticks for many clusters", () => {
  const sizes = Array.from({ length: 120 }, (_, label) => ({
    label,
    count: 10 + label,
  }));
  const tree = parseXml(renderClusterSizes({ sizes }));
  const tickLabels = elementsOf(tree, "g")
    .filter((g) => g.attributes.get("aria-label") === "x-axis tick label")
    .flatMap((g) => elementsOf(g, "text"));
  assert.ok(tickLabels.length < 40, `${tickLabels.length} tick labels`);
});

// ---------------------------------------------------------------------------
// Histogram

Deno.test("histogram bins share edges", () => {
  const table = Float64Array.from({ length: 200 }, (_, i) => i % 37);
  const cluster = Float64Array.from({ length: 20 }, (_, i) => 10 + i);
  const { tableBins, clusterBins } = binBothGroups(table, cluster);
  assert.deepEqual(
    clusterBins.map((b) => [b.x0, b.x1]),
    tableBins.map((b) => [b.x0, b.x1]),
  );
});

Deno.test("histogram shares sum to one", () => {
  const table = Float64Array.from({ length: 200 }, (_, i) => i % 37);
  const cluster = Float64Array.from({ length: 20 }, (_, i) => 10 + i);
  const { tableBins, clusterBins } = binBothGroups(table, cluster);
  const sum = (bins: { share: number }[]) =>
    bins.reduce((total, b) => total + b.share, 0);
  assert.ok(Math.abs(sum(tableBins) - 1) < 1e-12);
  assert.ok(Math.abs(sum(clusterBins) - 1) < 1e-12);
});

Deno.test("histogram bins count every value", () => {
  const table = Float64Array.from([0, 0.5, 1, 2, 3, 4, 5, 10]);
  const { tableBins } = binBothGroups(table, new Float64Array(), 4);
  assert.equal(tableBins.reduce((total, b) => total + b.count, 0), 8);
  assert.equal(tableBins[0]!.x0, 0);
  assert.equal(tableBins.at(-1)!.x1, 10);
});

Deno.test("histogram bars use cluster colour", () => {
  const tree = parseXml(CHARTS["histogram"]!());
  const bars = elementsOf(tree, "rect").filter((rect) =>
    textOf(rect).includes("of cluster 2")
  );
  assert.ok(bars.length > 0);
  const fills = new Set(
    elementsOf(tree, "g")
      .filter((g) => elementsOf(g, "rect").some((r) => bars.includes(r)))
      .map((g) => g.attributes.get("fill"))
      .filter((fill) => fill !== undefined),
  );
  assert.ok(fills.has(clusterColor(2)));
});

Deno.test("histogram counts missing values", () => {
  const missing = PRICES.filter((value) => Number.isNaN(value)).length;
  const text = allText(CHARTS["histogram"]!());
  assert.ok(missing > 0);
  assert.ok(text.includes(`${missing} of 300 in all rows`));
});

Deno.test("histogram single value shows note", () => {
  const text = allText(CHARTS["histogram-single-value"]!());
  assert.ok(text.includes(`Every non-missing value of "constant" is 3.5`));
});

Deno.test("histogram all missing shows note", () => {
  const text = allText(CHARTS["histogram-all-missing"]!());
  assert.ok(text.includes(`All 12 values of "empty" are missing.`));
});

Deno.test("histogram empty table shows note", () => {
  const text = allText(
    renderHistogram({
      values: new Float64Array(),
      selection: new Uint8Array(),
      column: "c",
      cluster: 0,
    }),
  );
  assert.ok(text.includes("The table has no rows"));
});

Deno.test("histogram empty selection shows note", () => {
  const text = allText(
    renderHistogram({
      values: PRICES,
      selection: new Uint8Array(PRICES.length),
      column: "price",
      cluster: 7,
    }),
  );
  assert.ok(text.includes("No rows belong to cluster 7"));
});

Deno.test("histogram cluster all missing shows note", () => {
  const values = Float64Array.from([NaN, NaN, 1, 2, 3]);
  const text = allText(
    renderHistogram({
      values,
      selection: new Uint8Array([1, 1, 0, 0, 0]),
      column: "c",
      cluster: 1,
    }),
  );
  assert.ok(text.includes(`All 2 values of "c" in cluster 1 are missing.`));
});

Deno.test("histogram rejects mismatched selection", () => {
  assert.throws(
    () =>
      renderHistogram({
        values: new Float64Array(3),
        selection: new Uint8Array(2),
        column: "c",
        cluster: 0,
      }),
    /selection has 2 entries but values has 3/,
  );
});

// ---------------------------------------------------------------------------
// Top values

function topValueTooltips(svg: string): string[] {
  return elementsOf(parseXml(svg), "title").slice(1).map(textOf)
    .filter((text) => text.includes(" of cluster "));
}

Deno.test("top values ranks by cluster count", () => {
  const values = ["b", "a", "a", "c", "c", "c", "b", "a"];
  const svg = renderTopValues({
    values,
    selection: new Uint8Array([1, 1, 1, 1, 1, 1, 0, 0]),
    column: "letter",
    cluster: 0,
  });
  const order = [...new Set(topValueTooltips(svg).map((t) => t.split(":")[0]))];
  assert.deepEqual(order, ["c", "a", "b"]);
});

Deno.test("top values breaks ties by table count", () => {
  const svg = renderTopValues({
    values: ["x", "y", "y", "y"],
    selection: new Uint8Array([1, 1, 0, 0]),
    column: "letter",
    cluster: 0,
  });
  const order = [...new Set(topValueTooltips(svg).map((t) => t.split(":")[0]))];
  assert.deepEqual(order, ["y", "x"]);
});

Deno.test("top values limits to top", () => {
  const values = Array.from({ length: 100 }, (_, i) => `v${i % 20}`);
  const svg = renderTopValues({
    values,
    selection: new Uint8Array(100).fill(1),
    column: "v",
    cluster: 0,
    top: 3,
  });
  const shown = new Set(topValueTooltips(svg).map((t) => t.split(":")[0]));
  assert.equal(shown.size, 3);
  assert.ok(allText(svg).includes("Top 3 of 20 distinct values"));
});

Deno.test("top values compares with table share", () => {
  const svg = renderTopValues({
    values: ["a", "a", "b", "b"],
    selection: new Uint8Array([1, 1, 0, 0]),
    column: "v",
    cluster: 0,
  });
  assert.ok(
    topValueTooltips(svg).includes(
      "a: 100% of cluster 0 (2), 50% of all rows (2)",
    ),
  );
});

Deno.test("top values labels missing and empty", () => {
  const text = allText(CHARTS["top-values"]!());
  assert.ok(text.includes("(missing)"));
  assert.ok(text.includes("(empty string)"));
});

Deno.test("top values single value notes it", () => {
  const text = allText(
    renderTopValues({
      values: ["a", "a", "b"],
      selection: new Uint8Array([1, 1, 0]),
      column: "v",
      cluster: 0,
    }),
  );
  assert.ok(text.includes(`Every row of cluster 0 has the same value of "v".`));
});

Deno.test("top values all missing shows note", () => {
  const text = allText(CHARTS["top-values-all-missing"]!());
  assert.ok(text.includes(`All 2 values of "city" in cluster 0 are missing.`));
});

Deno.test("top values empty table shows note", () => {
  const text = allText(
    renderTopValues({
      values: [],
      selection: new Uint8Array(),
      column: "v",
      cluster: 0,
    }),
  );
  assert.ok(text.includes("The table has no rows"));
});

Deno.test("top values rejects invalid top", () => {
  assert.throws(
    () =>
      renderTopValues({
        values: ["a"],
        selection: new Uint8Array([1]),
        column: "v",
        cluster: 0,
        top: 0,
      }),
    /top 0 is invalid/,
  );
});

// ---------------------------------------------------------------------------
// Legend

Deno.test("legend collapses overflow into more entry", () => {
  const items = Array.from({ length: 200 }, (_, label) => ({
    label: `${label} (1,000)`,
    color: clusterColor(label),
  }));
  const layout = layoutLegend(items, 600, 2);
  const last = layout.placed.at(-1)!;
  assert.equal(layout.rowCount, 2);
  assert.equal(last.item, null);
  assert.match(last.label, /^\+\d+ more$/);
  const visibleCount = layout.placed.length - 1;
  assert.equal(last.label, `+${200 - visibleCount} more`);
});

Deno.test("legend fits entries in width", () => {
  const items = Array.from({ length: 30 }, (_, label) => ({
    label: `${label}`,
    color: clusterColor(label),
  }));
  const layout = layoutLegend(items, 300, 3);
  for (const placed of layout.placed) assert.ok(placed.x < 300);
});
