/**
 * Tests of embedding. They cover the embed views and their parameters, the
 * Content-Security-Policy per frame-ancestors setting, and canonical chart
 * URLs with their ETags. They check standalone SVG for every chart type, the
 * embed snippets and static files of the pages, the density scatter at large
 * row counts, temporal histogram axes, and the colour swap that dark "auto"
 * pages apply. Routes run in-process against the Hono app.
 */
import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./_assert.ts";
import { allText, elementsOf, parseXml, textOf, type XmlTree } from "./_xml.ts";
import { parseArgs } from "../cli/args.ts";
import { readConfig } from "../cli/config.ts";
import { DatasetRegistry } from "../core/dataset/registry.ts";
import { generateSampleCsv, SAMPLE_NAME } from "../core/dataset/sample.ts";
import type { Snapshot } from "../core/dataset/snapshot.ts";
import { InputError } from "../core/errors.ts";
import { setLogSink } from "../core/log.ts";
import {
  CLUSTER_PALETTE,
  clusterMask,
  NOISE_COLOR,
  renderClusterSizes,
  renderHistogram,
  renderScatter,
  renderTopValues,
  THEME_COLORS,
} from "../render/mod.ts";
import { createApp } from "../routes/app.ts";
import { normalizeFrameAncestors } from "../routes/embed.ts";
import { gaussianBlobs } from "./_blobs.ts";

const encoder = new TextEncoder();

// ---------------------------------------------------------------------------
// Helpers

/** Returns every SVG element in an HTML page, as text. */
function inlineSvgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

/** Attribute values that would load something from outside the SVG. */
function externalReferences(svg: string): string[] {
  const found: string[] = [];
  for (const match of svg.matchAll(/(?:href|src)="([^"]*)"/g)) {
    const target = match[1]!;
    if (!target.startsWith("#") && !target.startsWith("data:")) {
      found.push(target);
    }
  }
  for (const match of svg.matchAll(/url\(\s*['"]?([^'")]*)/g)) {
    if (!match[1]!.startsWith("#")) found.push(match[1]!);
  }
  if (/@import/.test(svg)) found.push("@import");
  return found;
}

/** Checks what an SVG needs to show in an <img>: XML, size, title, nothing external. */
function checkStandaloneSvg(svg: string, where: string): XmlTree {
  const tree = parseXml(svg);
  assertEquals(tree.name, "svg", where);
  assertEquals(
    tree.attributes.get("xmlns"),
    "http://www.w3.org/2000/svg",
    where,
  );
  const width = tree.attributes.get("width") ?? "";
  const height = tree.attributes.get("height") ?? "";
  assertMatch(width, /^\d+$/, where);
  assertMatch(height, /^\d+$/, where);
  assertEquals(
    tree.attributes.get("viewBox"),
    `0 0 ${width} ${height}`,
    where,
  );
  const title = elementsOf(tree, "title")[0];
  assert(title !== undefined, `${where} has no title`);
  assertEquals(externalReferences(svg), [], where);
  assert(!svg.includes("currentColor"), `${where} uses currentColor`);
  assert(!svg.includes("<style"), `${where} has a style element`);
  return tree;
}

function cspDirective(response: Response, name: string): string | undefined {
  const policy = response.headers.get("content-security-policy") ?? "";
  return policy.split(";").map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));
}

/** Widths of the hexagons in a density scatter, from the outlines of its paths. */
function hexagonWidths(svg: string): number[] {
  const widths: number[] = [];
  const density = elementsOf(parseXml(svg), "g")
    .find((g) => g.attributes.get("aria-label") === "density");
  for (const path of density ? elementsOf(density, "path") : []) {
    const d = path.attributes.get("d") ?? "";
    const compact = /l(-?[\d.]+),-?[\d.]+ (-?[\d.]+),/.exec(d);
    if (compact) {
      widths.push(Number(compact[1]) + Number(compact[2]));
      continue;
    }
    const xs = [...d.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));
    if (xs.length === 6) widths.push(Math.max(...xs) - Math.min(...xs));
  }
  return widths;
}

// ---------------------------------------------------------------------------
// Frame ancestors: validation and configuration

Deno.test("frame ancestors accept origins", () => {
  assertEquals(
    normalizeFrameAncestors(
      [
        "'self'",
        "https://docs.example.com",
        "HTTPS://Wiki.Example.com/",
        "http://127.0.0.1:8080",
        "https://docs.example.com:443",
      ],
      "test",
    ),
    [
      "'self'",
      "https://docs.example.com",
      "https://wiki.example.com",
      "http://127.0.0.1:8080",
    ],
  );
});

const INVALID_SOURCES = [
  "self",
  "*",
  "https://*.example.com",
  "ftp://files.example.com",
  "https://docs.example.com/wiki",
  "https://docs.example.com?page=1",
  "https://user@docs.example.com",
  "docs.example.com",
  "'none'",
  "data:",
  "https://a.example.com;script-src",
  "https://a.example.com;",
];

for (const source of INVALID_SOURCES) {
  Deno.test(`frame ancestors reject ${source}`, () => {
    const error = assertThrows(
      () => normalizeFrameAncestors(["'self'", source], "--frame-ancestors"),
      InputError,
    );
    assertStringIncludes(error.message, `"${source}"`);
    assertStringIncludes(error.message, "--frame-ancestors");
  });
}

Deno.test("frame ancestors reject empty list", () => {
  assertThrows(
    () => normalizeFrameAncestors([], "--frame-ancestors"),
    InputError,
    "empty",
  );
});

Deno.test("--frame-ancestors splits origins", () => {
  const parsed = parseArgs([
    "--frame-ancestors",
    "https://docs.example.com  https://wiki.example.com,'self'",
  ]);
  assertEquals(parsed.frameAncestors, [
    "https://docs.example.com",
    "https://wiki.example.com",
    "'self'",
  ]);
});

Deno.test("--frame-ancestors rejects paths", () => {
  assertThrows(
    () => parseArgs(["--frame-ancestors=https://docs.example.com/x"]),
    InputError,
    "https://docs.example.com/x",
  );
});

Deno.test("config frameAncestors", async (t) => {
  const folder = await Deno.makeTempDir({ prefix: "clusterscope-config-" });
  const write = async (content: unknown) => {
    const path = `${folder}/config.json`;
    await Deno.writeTextFile(path, JSON.stringify(content));
    return path;
  };
  try {
    await t.step("reads origins", async () => {
      const path = await write({
        frameAncestors: ["https://docs.example.com/", "'self'"],
        datasets: [],
      });
      const config = await readConfig(path);
      assertEquals(config.frameAncestors, [
        "https://docs.example.com",
        "'self'",
      ]);
    });
    await t.step("defaults to none", async () => {
      const config = await readConfig(await write({ datasets: [] }));
      assertEquals(config.frameAncestors, undefined);
    });
    await t.step("rejects invalid origin", async () => {
      const path = await write({
        frameAncestors: ["https://docs.example.com/*"],
        datasets: [],
      });
      await assertRejects(
        () => readConfig(path),
        InputError,
        "https://docs.example.com/*",
      );
    });
    await t.step("rejects a string", async () => {
      const path = await write({
        frameAncestors: "https://docs.example.com",
        datasets: [],
      });
      await assertRejects(() => readConfig(path), InputError, "frameAncestors");
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createApp rejects invalid frame ancestors", () => {
  assertThrows(
    () =>
      createApp({
        registry: new DatasetRegistry(),
        frameAncestors: ["https://*.example.com"],
      }),
    InputError,
    "https://*.example.com",
  );
});

// ---------------------------------------------------------------------------
// Charts in both themes: standalone, and the colour swap of "auto" pages

const BLOBS = gaussianBlobs(400, 6, 5);
const DAY_MS = 86_400_000;
const DATES = Float64Array.from(
  BLOBS.x,
  (_, row) => Date.UTC(2024, 0, 1) + Math.floor((row * 7919) % 500) * DAY_MS,
);
const CHART_RENDERERS: Readonly<
  Record<string, (theme: "light" | "dark") => string>
> = {
  "scatter dots": (theme) => renderScatter({ ...BLOBS, theme }),
  "scatter hexagons": (theme) =>
    renderScatter({ ...BLOBS, maxDots: 10, theme }),
  "cluster sizes": (theme) =>
    renderClusterSizes({ labels: BLOBS.labels, theme }),
  "histogram": (theme) =>
    renderHistogram({
      values: Float64Array.from(BLOBS.x),
      selection: clusterMask(BLOBS.labels, 2),
      column: "x",
      cluster: 2,
      theme,
    }),
  "temporal histogram": (theme) =>
    renderHistogram({
      values: DATES,
      selection: clusterMask(BLOBS.labels, 1),
      column: "signup_date",
      cluster: 1,
      temporal: true,
      theme,
    }),
  "top values": (theme) =>
    renderTopValues({
      values: Array.from(BLOBS.labels, (label) => `group ${label + 1}`),
      selection: clusterMask(BLOBS.labels, 0),
      column: "group",
      cluster: 0,
      theme,
    }),
  "note chart": (theme) =>
    renderScatter({
      x: new Float32Array(),
      y: new Float32Array(),
      labels: new Int32Array(),
      theme,
    }),
};

for (const [name, render] of Object.entries(CHART_RENDERERS)) {
  Deno.test(`${name} stands alone in both themes`, () => {
    checkStandaloneSvg(render("light"), `${name}, light`);
    checkStandaloneSvg(render("dark"), `${name}, dark`);
  });

  // Pages with theme "auto" render charts light and let style.css swap the
  // theme colours in dark mode. That is only right if the swap turns the
  // light chart into exactly the dark one.
  Deno.test(`${name} light with theme colours swapped is dark`, () => {
    let swapped = render("light");
    for (const key of ["text", "muted", "background"] as const) {
      swapped = swapped.replaceAll(
        THEME_COLORS.light[key],
        THEME_COLORS.dark[key],
      );
    }
    assertEquals(swapped, render("dark"));
  });
}

Deno.test("cluster colours differ from theme colours", () => {
  const themeColors = new Set(
    Object.values(THEME_COLORS).flatMap((colors) => Object.values(colors)),
  );
  for (const color of [...CLUSTER_PALETTE, NOISE_COLOR]) {
    assert(!themeColors.has(color), color);
  }
});

Deno.test("style.css swaps every theme colour", async () => {
  const css = await Deno.readTextFile(
    new URL("../static/style.css", import.meta.url),
  );
  const dark = css.slice(
    css.indexOf("@media (prefers-color-scheme: dark) {\n  .theme-auto"),
  );
  const swaps: [string, string, string][] = [
    ["fill", THEME_COLORS.light.text, THEME_COLORS.dark.text],
    ["stroke", THEME_COLORS.light.text, THEME_COLORS.dark.text],
    ["fill", THEME_COLORS.light.muted, THEME_COLORS.dark.muted],
    ["stroke", THEME_COLORS.light.muted, THEME_COLORS.dark.muted],
    ["fill", THEME_COLORS.light.background, THEME_COLORS.dark.background],
  ];
  for (const [property, light, darkColor] of swaps) {
    assertMatch(
      dark,
      new RegExp(
        `\\.theme-auto svg \\[${property}="${light}"\\] \\{\\s*${property}: ${darkColor};`,
      ),
    );
  }
  assertStringIncludes(
    dark,
    `.theme-auto svg[fill="${THEME_COLORS.light.text}"]`,
  );
});

// ---------------------------------------------------------------------------
// Scatters that scale

Deno.test("density hexagons 4 px at 2,400 points", () => {
  const svg = renderScatter({
    ...gaussianBlobs(2_400, 5, 7),
    width: 720,
    height: 520,
  });
  const widths = hexagonWidths(svg);
  assertGreater(widths.length, 100);
  for (const width of widths) assertEquals(width, 4);
  // Each hexagon has its own tooltip at this size.
  assertStringIncludes(allText(svg), "% in cluster");
});

Deno.test("density of 200k points is fine and small", () => {
  const svg = renderScatter({
    ...gaussianBlobs(200_000, 12, 3),
    width: 720,
    height: 520,
  });
  const bytes = encoder.encode(svg).length;
  assertLess(bytes, 1_000_000, `${bytes} bytes`);
  const widths = hexagonWidths(svg);
  assertGreater(widths.length, 10);
  for (const width of widths) assertLess(width, 5.1);
  checkStandaloneSvg(svg, "200k scatter");
});

Deno.test("density hexagons stay inside frame", () => {
  const svg = renderScatter({
    ...gaussianBlobs(50_000, 8, 11),
    width: 640,
    height: 400,
  });
  const tree = parseXml(svg);
  const frame = elementsOf(tree, "rect")
    .find((rect) => rect.attributes.get("aria-label") === "frame")!;
  const left = Number(frame.attributes.get("x"));
  const top = Number(frame.attributes.get("y"));
  const right = left + Number(frame.attributes.get("width"));
  const bottom = top + Number(frame.attributes.get("height"));
  const density = elementsOf(tree, "g")
    .find((g) => g.attributes.get("aria-label") === "density")!;
  for (const path of elementsOf(density, "path")) {
    const d = path.attributes.get("d")!;
    // Subpaths start at a hexagon's upper-left vertex, relative after the first.
    let x = 0;
    let y = 0;
    for (const move of d.matchAll(/([Mm])(-?[\d.]+),(-?[\d.]+)/g)) {
      x = move[1] === "M" ? Number(move[2]) : x + Number(move[2]);
      y = move[1] === "M" ? Number(move[3]) : y + Number(move[3]);
      assert(x >= left - 0.5, `x ${x} left of the frame`);
      assert(x <= right, `x ${x} right of the frame`);
      assert(y >= top - 0.5, `y ${y} above the frame`);
      assert(y <= bottom, `y ${y} below the frame`);
    }
  }
});

// ---------------------------------------------------------------------------
// Temporal histograms

Deno.test("temporal histogram has a date axis", () => {
  const svg = CHART_RENDERERS["temporal histogram"]!("light");
  const tree = parseXml(svg);
  const ticks = elementsOf(tree, "g")
    .filter((g) => g.attributes.get("aria-label") === "x-axis tick label")
    .flatMap((g) => elementsOf(g, "text").map(textOf));
  assertGreater(ticks.length, 2);
  for (const tick of ticks) {
    assert(!/\d{4},\d{3}/.test(tick), `tick "${tick}" is a raw number`);
  }
  assert(ticks.some((tick) => /20(24|25)/.test(tick)), ticks.join(" | "));
});

Deno.test("temporal histogram bins by quarter", () => {
  // 400 values over 500 days: Sturges' rule gives 10 bins of 50 days,
  // and the shortest calendar unit at least that long is a quarter.
  const text = allText(CHART_RENDERERS["temporal histogram"]!("light"));
  assertStringIncludes(text, "2024-01-01 to 2024-04-01");
  assertStringIncludes(text, "2025-04-01 to 2025-07-01");
  assert(!/\d{13}/.test(text), "a raw epoch number is shown");
});

// ---------------------------------------------------------------------------
// Routes, in-process

const TINY_CSV = "id,score,embedding\n" +
  Array.from(
    { length: 40 },
    (_, i) => `${i},${i * 1.5},"[${(i % 4) * 0.5},${(i % 3) * 0.5}]"`,
  ).join("\n") + "\n";

Deno.test({
  name: "embed routes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const previousSink = setLogSink(() => {});
    const registry = new DatasetRegistry();
    registry.add({
      name: SAMPLE_NAME,
      bytes: generateSampleCsv(),
      fileName: "sample.csv",
      load: {},
      fit: { minClusterSize: 40 },
    });
    registry.add({
      name: "flat",
      bytes: encoder.encode(TINY_CSV),
      fileName: "flat.csv",
      load: {},
      fit: { minClusterSize: 5, umap: false },
    });
    await registry.settled();
    const app = createApp({ registry });
    const origin = "http://clusters.test:8123";
    const get = (path: string, init?: RequestInit) =>
      Promise.resolve(app.request(`${origin}${path}`, init));
    const text = async (path: string) => {
      const response = await get(path);
      return { response, body: await response.text() };
    };

    try {
      await t.step("dashboard embed is html", async () => {
        const { response, body } = await text("/embed/d/sample");
        assertEquals(response.status, 200);
        assertStringIncludes(
          response.headers.get("content-type") ?? "",
          "text/html",
        );
        assertEquals(inlineSvgs(body).length, 2);
        assertStringIncludes(body, "<title>sample · clusterscope</title>");
        assert(!body.includes('class="site"'), "embed has the site header");
        assertStringIncludes(body, 'class="theme-auto embed"');
      });

      await t.step("cluster embed is html", async () => {
        for (const label of ["0", "-1", "noise"]) {
          const { response, body } = await text(
            `/embed/d/sample/clusters/${label}`,
          );
          assertEquals(response.status, 200, label);
          assertGreater(inlineSvgs(body).length, 3, label);
          assertStringIncludes(body, "signup_date", label);
        }
      });

      await t.step("embed charts stand alone", async () => {
        for (
          const path of [
            "/embed/d/sample",
            "/embed/d/sample/clusters/1?theme=dark",
            "/embed/d/sample?transparent=true",
          ]
        ) {
          const { body } = await text(path);
          for (const svg of inlineSvgs(body)) checkStandaloneSvg(svg, path);
        }
      });

      await t.step("embed themes", async () => {
        const light = await text("/embed/d/sample?theme=light");
        assertStringIncludes(light.body, 'class="theme-light embed"');
        const dark = await text("/embed/d/sample?theme=dark");
        assertStringIncludes(dark.body, 'class="theme-dark embed"');
        const darkRoot = parseXml(inlineSvgs(dark.body)[0]!);
        assertEquals(darkRoot.attributes.get("fill"), THEME_COLORS.dark.text);
        const auto = await text("/embed/d/sample?theme=auto");
        const autoRoot = parseXml(inlineSvgs(auto.body)[0]!);
        assertEquals(autoRoot.attributes.get("fill"), THEME_COLORS.light.text);
      });

      await t.step("embed transparent", async () => {
        const { body } = await text("/embed/d/sample?transparent=true");
        assertStringIncludes(body, 'class="theme-auto embed transparent"');
        for (const svg of inlineSvgs(body)) {
          const background = `fill="${THEME_COLORS.light.background}"`;
          assert(!svg.includes(background), "chart has a background");
        }
        const opaque = await text("/embed/d/sample?transparent=0");
        assert(!opaque.body.includes('transparent"'), "transparent=0");
      });

      await t.step("embed without projection", async () => {
        const { response, body } = await text("/embed/d/flat");
        assertEquals(response.status, 200);
        assertStringIncludes(body, "--no-umap");
        assertEquals(inlineSvgs(body).length, 1);
      });

      await t.step("embed bad params", async () => {
        const cases: [string, number, string][] = [
          ["/embed/d/sample?theme=purple", 400, "theme"],
          ["/embed/d/sample?theme=purple", 400, "purple"],
          ["/embed/d/sample?transparent=yes", 400, "transparent"],
          ["/embed/d/sample?width=300", 400, "width"],
          ["/embed/d/sample/clusters/0?colour=red", 400, "colour"],
          ["/embed/d/sample/clusters/abc", 400, "abc"],
          ["/embed/d/sample/clusters/999", 404, "999"],
          ["/embed/d/nope", 404, "nope"],
        ];
        for (const [path, status, named] of cases) {
          const { response, body } = await text(path);
          assertEquals(response.status, status, path);
          assertStringIncludes(body, named, path);
        }
      });

      await t.step("embed while fitting", async () => {
        registry.add({
          name: "later",
          bytes: generateSampleCsv(3_000, 3),
          fileName: "later.csv",
          load: {},
          fit: { minClusterSize: 40 },
        });
        const { response, body } = await text("/embed/d/later?theme=dark");
        assertEquals(response.status, 200);
        assertStringIncludes(body, 'http-equiv="refresh"');
        assertStringIncludes(body, 'class="theme-dark embed"');
      });

      await t.step("csp allows self by default", async () => {
        for (const path of ["/embed/d/sample", "/d/sample", "/"]) {
          const response = await get(path);
          await response.body?.cancel();
          assertEquals(
            cspDirective(response, "frame-ancestors"),
            "frame-ancestors 'self'",
            path,
          );
          assertEquals(response.headers.get("x-frame-options"), "SAMEORIGIN");
          assertEquals(
            cspDirective(response, "script-src"),
            "script-src 'self'",
          );
        }
      });

      await t.step("csp lists configured origins", async () => {
        const configured = createApp({
          registry,
          frameAncestors: [
            "https://docs.example.com",
            "https://wiki.example.com",
          ],
        });
        for (
          const path of [
            "/embed/d/sample",
            "/embed/d/sample/clusters/0",
            "/d/sample",
            "/d/sample/scatter.svg",
            "/embed/d/sample?theme=nope",
          ]
        ) {
          const response = await configured.request(`${origin}${path}`);
          await response.body?.cancel();
          assertEquals(
            cspDirective(response, "frame-ancestors"),
            "frame-ancestors https://docs.example.com https://wiki.example.com",
            path,
          );
          assertEquals(response.headers.get("x-frame-options"), null, path);
        }
      });

      await t.step("pages link versioned static files", async () => {
        for (const path of ["/d/sample", "/embed/d/sample"]) {
          const { body } = await text(path);
          const links = [
            ...body.matchAll(/(?:href|src)="(\/static\/[^"]*)"/g),
          ].map((match) => match[1]!.replaceAll("&amp;", "&"));
          assertGreater(links.length, 0, path);
          for (const link of links) {
            assertMatch(link, /\?v=[0-9a-f]{8}$/, link);
            const response = await get(link);
            await response.body?.cancel();
            assertEquals(response.status, 200, link);
            assertEquals(
              response.headers.get("cache-control"),
              "public, max-age=31536000, immutable",
              link,
            );
          }
        }
        const { body } = await text("/d/sample");
        assertMatch(body, /<script src="\/static\/copy\.js\?v=[0-9a-f]{8}"/);
      });

      await t.step("pages have no inline scripts", async () => {
        for (
          const path of [
            "/",
            "/d/sample",
            "/d/sample/clusters/0",
            "/embed/d/sample",
            "/embed/d/sample/clusters/0",
          ]
        ) {
          const { body } = await text(path);
          for (const tag of body.match(/<script\b[^>]*>/g) ?? []) {
            assertMatch(tag, /\bsrc="\/static\//, `${path}: ${tag}`);
          }
          assert(!/<script\b[^>]*>[^<]/.test(body), `${path} inline script`);
          assert(!/\son[a-z]+="/i.test(body), `${path} event handler`);
        }
      });

      await t.step("copy script is javascript", async () => {
        const { body } = await text("/d/sample");
        const src = /<script src="([^"]*)"/.exec(body)![1]!;
        const response = await get(src);
        assertEquals(
          response.headers.get("content-type"),
          "text/javascript; charset=utf-8",
        );
        assertStringIncludes(await response.text(), "data-copy");
      });

      await t.step("dashboard embed snippets", async () => {
        const { body } = await text("/d/sample");
        assertEquals(
          (body.match(/<details class="embed-code">/g) ?? []).length,
          2,
        );
        assertStringIncludes(
          body,
          `&lt;iframe src=&quot;${origin}/embed/d/sample&quot;`,
        );
        assertStringIncludes(
          body,
          `&lt;img src=&quot;${origin}/d/sample/scatter.svg?width=720&amp;amp;height=520&quot;`,
        );
        assertStringIncludes(
          body,
          `&lt;img src=&quot;${origin}/d/sample/sizes.svg?width=420&amp;amp;height=520&quot;`,
        );
        assertStringIncludes(body, "alt=&quot;sample: UMAP projection");
        // Copy buttons start hidden; the snippets are text areas to select by hand.
        for (const button of body.match(/<button[^>]*>/g) ?? []) {
          assertMatch(button, /\bhidden\b/);
        }
        assertStringIncludes(
          body,
          '<textarea id="embed-scatter-iframe" readonly',
        );
      });

      await t.step("drilldown embed snippets", async () => {
        const { body } = await text("/d/sample/clusters/2");
        assertStringIncludes(
          body,
          `&lt;iframe src=&quot;${origin}/embed/d/sample/clusters/2&quot;`,
        );
        assertStringIncludes(
          body,
          `${origin}/d/sample/histogram.svg?column=activity&amp;amp;cluster=2`,
        );
        assertStringIncludes(
          body,
          `${origin}/d/sample/top-values.svg?column=channel&amp;amp;cluster=2`,
        );
        const ids = [...body.matchAll(/<textarea id="([^"]*)"/g)].map((m) =>
          m[1]
        );
        assertEquals(new Set(ids).size, ids.length);
      });

      await t.step("every chart type stands alone", async () => {
        const charts = [
          "/d/sample/scatter.svg",
          "/d/sample/scatter.svg?theme=dark&transparent=true",
          "/d/sample/sizes.svg?width=300&height=200",
          "/d/sample/histogram.svg?column=activity&cluster=0",
          "/d/sample/histogram.svg?column=signup_date&cluster=-1",
          "/d/sample/top-values.svg?column=channel&cluster=1&theme=dark",
          "/d/flat/sizes.svg",
        ];
        for (const path of charts) {
          const { response, body } = await text(path);
          assertEquals(response.status, 200, path);
          assertEquals(
            response.headers.get("content-type"),
            "image/svg+xml; charset=utf-8",
            path,
          );
          checkStandaloneSvg(body, path);
        }
      });

      await t.step("temporal histogram route", async () => {
        const { body } = await text(
          "/d/sample/histogram.svg?column=signup_date&cluster=0",
        );
        const chartText = allText(body);
        assert(!/\d{1,3}(,\d{3}){4}/.test(chartText), "epoch ms on the axis");
        assertStringIncludes(chartText, "2025");
      });

      await t.step("chart params rejected per chart", async () => {
        const cases: [string, string][] = [
          ["/d/sample/scatter.svg?column=activity", "column"],
          ["/d/sample/sizes.svg?cluster=0", "cluster"],
          ["/d/sample/scatter.svg?theme=auto", "theme"],
          ["/d/sample/scatter.svg?transparent=maybe", "transparent"],
          ["/d/sample/histogram.svg?column=activity&cluster=0&top=3", "top"],
        ];
        for (const [path, named] of cases) {
          const { response, body } = await text(path);
          assertEquals(response.status, 400, path);
          assertStringIncludes(body, named, path);
        }
      });

      const etagOf = async (path: string, init?: RequestInit) => {
        const response = await get(path, init);
        await response.body?.cancel();
        return response.headers.get("etag");
      };

      await t.step("etag ignores parameter order", async () => {
        assertEquals(
          await etagOf("/d/sample/histogram.svg?column=activity&cluster=0"),
          await etagOf("/d/sample/histogram.svg?cluster=0&column=activity"),
        );
      });

      await t.step("etag equal for explicit defaults", async () => {
        const implicit = await etagOf("/d/sample/scatter.svg");
        const explicit = await etagOf(
          "/d/sample/scatter.svg?transparent=false&theme=light&height=400&width=640",
        );
        assert(implicit !== null);
        assertEquals(explicit, implicit);
      });

      await t.step("etag equal for synonyms", async () => {
        assertEquals(
          await etagOf("/d/sample/sizes.svg?transparent=1"),
          await etagOf("/d/sample/sizes.svg?transparent=true"),
        );
        assertEquals(
          await etagOf("/d/sample/histogram.svg?column=activity&cluster=noise"),
          await etagOf("/d/sample/histogram.svg?column=activity&cluster=-1"),
        );
      });

      await t.step("etag differs per representation", async () => {
        const tags = await Promise.all([
          etagOf("/d/sample/scatter.svg"),
          etagOf("/d/sample/scatter.svg?theme=dark"),
          etagOf("/d/sample/scatter.svg?width=641"),
          etagOf("/d/sample/sizes.svg"),
          etagOf("/d/sample/histogram.svg?column=activity&cluster=0"),
          etagOf("/d/sample/histogram.svg?column=activity&cluster=1"),
          etagOf("/d/flat/sizes.svg"),
        ]);
        assertEquals(new Set(tags).size, tags.length);
      });

      await t.step("chart cache headers and 304", async () => {
        const path = "/d/sample/top-values.svg?column=plan&cluster=0";
        const first = await get(path);
        await first.body?.cancel();
        const etag = first.headers.get("etag")!;
        assertEquals(
          first.headers.get("cache-control"),
          "public, max-age=0, must-revalidate",
        );
        const again = await get(path, { headers: { "if-none-match": etag } });
        assertEquals(again.status, 304);
        assertEquals(await again.text(), "");
        assertEquals(again.headers.get("etag"), etag);
        assertEquals(
          again.headers.get("cache-control"),
          "public, max-age=0, must-revalidate",
        );
        const weak = await get(path, {
          headers: { "if-none-match": `"other", W/${etag}` },
        });
        await weak.body?.cancel();
        assertEquals(weak.status, 304);
        const reordered = await get(
          "/d/sample/top-values.svg?cluster=0&column=plan&theme=light",
          { headers: { "if-none-match": etag } },
        );
        await reordered.body?.cancel();
        assertEquals(reordered.status, 304);
      });

      await t.step("etag changes with the model", async () => {
        const path = "/d/sample/sizes.svg";
        const before = await etagOf(path);
        const dataset = registry.get("sample");
        const previous = dataset.snapshot!;
        // Publish a second snapshot the way the registry does: swap the reference.
        const next: Snapshot = {
          ...previous,
          version: previous.version + 1,
          hash: "f".repeat(64),
        };
        dataset.snapshot = next;
        try {
          const after = await etagOf(path);
          assertNotEquals(after, before);
          assertStringIncludes(after ?? "", `-${next.version}-`);
          const stale = await get(path, {
            headers: { "if-none-match": before! },
          });
          await stale.body?.cancel();
          assertEquals(stale.status, 200);
        } finally {
          dataset.snapshot = previous;
        }
      });
    } finally {
      registry.close();
      await registry.settled();
      setLogSink(previousSink);
    }
  },
});
