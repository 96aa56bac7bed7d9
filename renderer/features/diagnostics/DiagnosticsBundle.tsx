import { Alert, Button, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AudioDevice, DiagnosticsPreview, DiagnosticsSaved } from '../../../shared/diagnostics/api';
import { useCoreStore } from '../../stores/coreStore';

/** The audio devices this window sees (labels only; empty labels before microphone permission). */
async function listAudioDevices(): Promise<AudioDevice[] | null> {
  if (!navigator.mediaDevices?.enumerateDevices) return null;
  try {
    const all = await navigator.mediaDevices.enumerateDevices();
    return all
      .filter((d): d is MediaDeviceInfo & { kind: AudioDevice['kind'] } => d.kind === 'audioinput' || d.kind === 'audiooutput')
      .map((d) => ({ kind: d.kind, label: d.label.slice(0, 300), isDefault: d.deviceId === 'default' }));
  } catch {
    return null;
  }
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

/**
 * "Save diagnostics bundle": shows what the bundle will contain (files, what each holds, sizes,
 * how many secret values were removed), then writes the zip and says where.
 */
export function DiagnosticsBundle() {
  const { t } = useTranslation();
  const api = useCoreStore((s) => s.api);
  const [preview, setPreview] = useState<DiagnosticsPreview | null>(null);
  const [devices, setDevices] = useState<AudioDevice[] | null>(null);
  const [saved, setSaved] = useState<DiagnosticsSaved | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = async () => {
    if (!api) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    const audioDevices = await listAudioDevices();
    const r = await api.diagnostics.preview({ audioDevices });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setDevices(audioDevices);
    setPreview(r.value);
  };

  const save = async () => {
    if (!api) return;
    setBusy(true);
    const r = await api.diagnostics.save({ audioDevices: devices });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setPreview(null);
    setSaved(r.value);
  };

  return (
    <div style={{ marginBottom: 16 }}>
      <Button type="primary" loading={busy && !preview} onClick={() => void open()} data-testid="diagnostics-bundle">
        {t('diagnostics.bundle.open')}
      </Button>
      {saved && <Alert style={{ marginTop: 12 }} type="success" showIcon data-testid="diagnostics-bundle-saved" message={t('diagnostics.bundle.saved', { file: saved.file, size: size(saved.bytes) })} />}
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={t('diagnostics.bundle.failed', { message: error })} />}
      <Modal
        open={preview !== null}
        title={t('diagnostics.bundle.title')}
        okText={t('diagnostics.bundle.save')}
        cancelText={t('diagnostics.bundle.cancel')}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setPreview(null)}
        width={720}
      >
        <Typography.Paragraph>{t('diagnostics.bundle.intro')}</Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="name"
          data-testid="diagnostics-bundle-files"
          dataSource={preview?.files ?? []}
          columns={[
            { title: t('diagnostics.bundle.file'), dataIndex: 'name', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('diagnostics.bundle.contents'), dataIndex: 'kind', render: (k: string) => t(`diagnostics.bundle.kind.${k}`) },
            { title: t('diagnostics.bundle.size'), dataIndex: 'bytes', align: 'right', render: (b: number) => size(b) },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('diagnostics.bundle.secretsRemoved', { count: preview?.secretsRemoved ?? 0 })}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
