// Types of eslint/layers.js, for the test that drives it.
import type { ESLint, Rule } from 'eslint';

export declare function roomOf(file: string): string | undefined;
export declare function layerViolation(file: string, specifier: string): string | undefined;
export declare const layersRule: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
