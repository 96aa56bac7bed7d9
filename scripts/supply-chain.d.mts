/** Licences a closed-source desktop may ship. */
export const ALLOWED_LICENCES: string[];
/** The CycloneDX SBOM of the production dependencies. */
export function sbom(projectRoot?: string): { bomFormat: string; specVersion: string; components: { name: string; version: string; purl?: string; licenses?: unknown[] }[] };
/** True when an SPDX expression is satisfied by allowed licences. */
export function licenceAllowed(expression: string | undefined, allowed?: string[]): boolean;
/** Production components whose licence is missing or not allowed. */
export function licenceProblems(bom: { components?: unknown[] }, allowed?: string[]): string[];
