import { z } from 'zod';

/**
 * The diagnostics bundle (issue 14, item 5): one zip a support ticket can carry, with logs,
 * effective settings and their sources (secrets removed), versions, OS, audio devices,
 * registration state, the last minutes of SIP trace, WebRTC stats, outbox depth and sync state.
 */

/** An audio device as the renderer sees it (labels only; device ids are not included). */
export const audioDeviceSchema = z.object({
  kind: z.enum(['audioinput', 'audiooutput']),
  label: z.string().max(300),
  isDefault: z.boolean(),
});
/** An audio device. */
export type AudioDevice = z.infer<typeof audioDeviceSchema>;

/** What the renderer adds to a bundle: the audio devices it sees (null: no window, e.g. the command line). */
export const diagnosticsRequestSchema = z.object({
  audioDevices: z.array(audioDeviceSchema).max(100).nullable().default(null),
});
/** A request for a preview or a bundle. */
export type DiagnosticsRequest = z.input<typeof diagnosticsRequestSchema>;

/** The files of a bundle, what each holds (an i18n key under `diagnostics.bundleFile.`), and its size. */
export const BUNDLE_FILE_KINDS = ['manifest', 'versions', 'os', 'settings', 'phone', 'audio', 'sipTrace', 'webrtc', 'sync', 'log'] as const;

/** One file of a bundle in the preview. */
export const bundleFileSchema = z.object({
  name: z.string(),
  kind: z.enum(BUNDLE_FILE_KINDS),
  bytes: z.number().int().nonnegative(),
});
/** One file of a bundle. */
export type BundleFile = z.infer<typeof bundleFileSchema>;

/** Schema of `diagnostics:preview`: what the bundle would contain, before it is saved. */
export const diagnosticsPreviewSchema = z.object({
  files: z.array(bundleFileSchema),
  /** How many secret values (passwords, tokens, digest responses) were removed from the text. */
  secretsRemoved: z.number().int().nonnegative(),
});
/** A bundle preview. */
export type DiagnosticsPreview = z.infer<typeof diagnosticsPreviewSchema>;

/** Schema of `diagnostics:save`: where the zip was written. */
export const diagnosticsSavedSchema = diagnosticsPreviewSchema.extend({ file: z.string(), bytes: z.number().int().nonnegative() });
/** A saved bundle. */
export type DiagnosticsSaved = z.infer<typeof diagnosticsSavedSchema>;

/** The diagnostics invoke channels, merged into `invokeChannels`. */
export const diagnosticsInvokeChannels = {
  /** Lists what a bundle made now would contain. */
  'diagnostics:preview': { request: diagnosticsRequestSchema, response: diagnosticsPreviewSchema },
  /** Writes the bundle into the data directory's `diagnostics` folder. */
  'diagnostics:save': { request: diagnosticsRequestSchema, response: diagnosticsSavedSchema },
} as const;
