// CSS lint for renderer/src/styles (`npm run lint:css`, a step of `npm test`). The standard config
// catches real errors (unknown properties, invalid hex, duplicate selectors, deprecated values);
// the rules below add the palette rule and switch off only the layout conventions the codebase
// deliberately does otherwise.

/** @type {import('stylelint').Config} */
export default {
  extends: ['stylelint-config-standard'],
  // The palette's one disable comment must say why, disable something, and name rules this config has.
  reportDescriptionlessDisables: true,
  reportNeedlessDisables: true,
  reportInvalidScopeDisables: true,
  rules: {
    // Colours are named by role: a colour literal may appear only in the palette, base.css's
    // :root, which lifts color-no-hex for its custom properties; everywhere else it is var(--…).
    'color-no-hex': true,
    'color-named': 'never',
    'function-disallowed-list': [
      ['rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color'],
      {
        message: (name) =>
          `Unexpected colour function "${name}": define the colour in base.css's :root and use var(--…)`,
      },
    ],
    // Related rules sit together without blank lines between them (650+ places).
    'rule-empty-line-before': null,
    // Comments, at-rules and declarations follow the same compact grouping.
    'comment-empty-line-before': null,
    'at-rule-empty-line-before': null,
    'declaration-empty-line-before': null,
    // Each sheet is ordered by component, not by specificity; the flagged pairs never match one element.
    'no-descending-specificity': null,
    // Kebab-case, plus classes named by libraries (react-flow__edge) and by status values (gate_failed).
    'selector-class-pattern': [
      '^[a-z][a-z0-9]*(?:(?:-|_|__)[a-z0-9]+)*$',
      { message: (selector) => `Expected class selector "${selector}" to be kebab-case` },
    ],
    // Font family names in --mono keep their usual capitals.
    'value-keyword-case': ['lower', { ignoreProperties: ['--mono'] }],
    // The codebase writes media queries as (max-width: …) and chains :not() selectors.
    'media-feature-range-notation': 'prefix',
    'selector-not-notation': 'simple',
  },
};
