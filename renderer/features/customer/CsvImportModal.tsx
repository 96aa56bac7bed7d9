import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Select, Space, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CSV_FIELDS,
  CSV_IMPORT_ENCODINGS,
  CSV_MAX_BYTES,
  CSV_UPLOAD_CHUNK_BYTES,
  type CsvImportJob,
  type CsvImportReport,
  type CsvMapping,
  type CsvPreview,
} from '../../../shared/customer/csv';
import { useCustomerStore } from '../../stores/customerStore';
import { fileToBase64 } from './files';
import { errorText } from './validation';

type Encoding = (typeof CSV_IMPORT_ENCODINGS)[number];

/** Value of the mapping select that ignores a column. */
const IGNORE = '__ignore__';

/**
 * Files up to this size travel inline (one message, an import answered when done); larger ones are
 * uploaded in chunks and imported as a job with progress and cancel (no message cap, no timeout).
 */
export const CSV_INLINE_MAX_BYTES = 256 * 1024;

/** Where the file is: inline base64 (small) or an upload in the core (large). */
type Source = { contentBase64: string } | { uploadId: string };

/**
 * CSV import: pick a file (UTF-8 with or without BOM, GB18030/GBK, UTF-16), check the preview and
 * the column mapping, validate (dry run) or import, then read the report with each rejected row and
 * why. A small file travels base64 over `customer:preview-csv` / `customer:import-csv`; a large one
 * is uploaded in chunks (`customer:csv-upload-*`) and imported as a job (`customer:import-start`):
 * "N of M rows" as it goes, a Cancel button, and the rest of the app usable meanwhile.
 */
export function CsvImportModal({ open, onClose, onImported }: { open: boolean; onClose(): void; onImported(): void }) {
  const { t } = useTranslation();
  const call = useCustomerStore((s) => s.call);
  const [fileName, setFileName] = useState<string | null>(null);
  const [content, setContent] = useState<Source | null>(null);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [job, setJob] = useState<CsvImportJob | null>(null);
  const listen = useCustomerStore((s) => s.listen);
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<CsvMapping>({});
  const [report, setReport] = useState<CsvImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const running = job?.state === 'running';
  const jobId = running ? job.jobId : null;
  useEffect(() => {
    if (!jobId) return;
    const finish = (j: CsvImportJob) => {
      if (j.jobId !== jobId) return;
      setJob(j);
      if (j.state === 'running') return;
      if (j.state === 'failed') setError(errorText(j.error ?? { code: 'INTERNAL', message: '' }, t));
      if (j.report) setReport(j.report);
      if (j.report && !j.dryRun) onImported();
    };
    const stop = listen((api) => api.customer.onImportProgress(finish));
    // Events are the fast path; a poll covers a reconnection that lost some.
    const poll = setInterval(() => void call((api) => api.customer.importStatus({ jobId })).then((r) => r.ok && finish(r.value)), 2000);
    return () => {
      stop();
      clearInterval(poll);
    };
  }, [jobId, listen, call, t, onImported]);

  const reset = () => {
    setFileName(null);
    setContent(null);
    setUploaded(null);
    setJob(null);
    setPreview(null);
    setMapping({});
    setReport(null);
    setError(null);
    setEncoding('auto');
  };
  const close = () => {
    reset();
    onClose();
  };
  const loadPreview = async (source: Source, enc: Encoding) => {
    setBusy(true);
    setError(null);
    const r = await call((api) => api.customer.previewCsv({ ...source, encoding: enc }));
    setBusy(false);
    if (!r.ok) {
      setPreview(null);
      setError(errorText(r.error, t));
      return;
    }
    setPreview(r.value);
    setMapping(r.value.suggestedMapping);
  };
  const pick = async (file: File) => {
    setReport(null);
    if (file.size > CSV_MAX_BYTES) {
      setError(t('customers.csv.tooLarge'));
      return;
    }
    setError(null);
    setJob(null);
    const source = file.size <= CSV_INLINE_MAX_BYTES ? { contentBase64: await fileToBase64(file) } : await upload(file);
    if (!source) return;
    setFileName(file.name);
    setContent(source);
    await loadPreview(source, encoding);
  };
  /** Sends a large file to the core in chunks, in order; null (with the error shown) when it fails. */
  const upload = async (file: File): Promise<Source | null> => {
    setBusy(true);
    setUploaded(0);
    try {
      const begun = await call((api) => api.customer.csvUploadBegin({ size: file.size }));
      if (!begun.ok) return (setError(errorText(begun.error, t)), null);
      const { uploadId } = begun.value;
      for (let offset = 0; offset < file.size; offset += CSV_UPLOAD_CHUNK_BYTES) {
        const contentBase64 = await fileToBase64(file.slice(offset, offset + CSV_UPLOAD_CHUNK_BYTES));
        const r = await call((api) => api.customer.csvUploadChunk({ uploadId, offset, contentBase64 }));
        if (!r.ok) return (setError(errorText(r.error, t)), null);
        setUploaded(r.value.received / file.size);
      }
      return { uploadId };
    } finally {
      setBusy(false);
      setUploaded(null);
    }
  };
  const runImport = async (dryRun: boolean) => {
    if (!content) return;
    setBusy(true);
    setError(null);
    setReport(null);
    if ('uploadId' in content) {
      const r = await call((api) => api.customer.importStart({ uploadId: content.uploadId, encoding, mapping, dryRun }));
      setBusy(false);
      if (!r.ok) return setError(errorText(r.error, t));
      setJob(r.value);
      return;
    }
    const r = await call((api) => api.customer.importCsv({ ...content, encoding, mapping, dryRun }));
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error, t));
    setReport(r.value);
    if (!dryRun) onImported();
  };
  const cancelJob = async () => {
    if (!jobId) return;
    const r = await call((api) => api.customer.importCancel({ jobId }));
    if (!r.ok) setError(errorText(r.error, t));
  };

  const step = report && !report.dryRun ? 2 : preview ? 1 : 0;
  const fieldOptions = [{ value: IGNORE, label: t('customers.csv.ignore') }, ...CSV_FIELDS.map((f) => ({ value: f, label: t(`customers.csvFields.${f}`) }))];

  return (
    <Modal open={open} onCancel={close} title={t('customers.csv.importTitle')} width={900} footer={null} destroyOnHidden>
      <div data-testid="csv-import">
        <Steps
          size="small"
          current={step}
          items={[{ title: t('customers.csv.stepFile') }, { title: t('customers.csv.stepMapping') }, { title: t('customers.csv.stepReport') }]}
          style={{ marginBottom: 12 }}
        />
        <Space style={{ marginBottom: 8 }} wrap>
          <Typography.Text>{t('customers.csv.encoding')}</Typography.Text>
          <Select<Encoding>
            size="small"
            value={encoding}
            style={{ width: 200 }}
            onChange={(v) => {
              setEncoding(v);
              if (content) void loadPreview(content, v);
            }}
            options={CSV_IMPORT_ENCODINGS.map((e) => ({ value: e, label: t(`customers.csv.importEncoding.${e}`) }))}
            data-testid="csv-encoding"
          />
          {fileName && <Typography.Text type="secondary">{fileName}</Typography.Text>}
        </Space>
        <Upload.Dragger
          accept=".csv,.txt,text/csv"
          multiple={false}
          showUploadList={false}
          beforeUpload={(file) => {
            void pick(file);
            return false;
          }}
          data-testid="csv-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('customers.csv.pick')}</p>
          <Typography.Text type="secondary">{t('customers.csv.pickHint')}</Typography.Text>
        </Upload.Dragger>
        {uploaded !== null && (
          <div data-testid="csv-uploading" style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('customers.csv.uploading', { percent: Math.floor(uploaded * 100) })}</Typography.Text>
            <Progress percent={Math.floor(uploaded * 100)} size="small" showInfo={false} />
          </div>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid="csv-error" />}
        {preview && (
          <div className="cd-import-map" data-testid="csv-mapping" style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">
              {t('customers.csv.previewFacts', { rows: preview.rowCount, encoding: preview.encoding, delimiter: preview.delimiter === '\t' ? 'TAB' : preview.delimiter })}
            </Typography.Text>
            <Table
              size="small"
              pagination={false}
              rowKey="header"
              scroll={{ y: 260 }}
              dataSource={preview.headers.map((header, i) => ({ header, samples: preview.sampleRows.map((r) => r[i] ?? '').filter(Boolean).slice(0, 3).join(' | ') }))}
              columns={[
                { title: t('customers.csv.column'), dataIndex: 'header', width: 180 },
                { title: t('customers.csv.samples'), dataIndex: 'samples', ellipsis: true },
                {
                  title: t('customers.csv.field'),
                  dataIndex: 'header',
                  key: 'field',
                  width: 220,
                  render: (header: string) => (
                    <Select
                      size="small"
                      showSearch
                      optionFilterProp="label"
                      virtual={false}
                      value={mapping[header] ?? IGNORE}
                      onChange={(v: string) => setMapping((m) => ({ ...m, [header]: v === IGNORE ? null : (v as CsvMapping[string]) }))}
                      options={fieldOptions}
                      data-testid={`csv-map-${header}`}
                    />
                  ),
                },
              ]}
            />
            <Space style={{ marginTop: 8 }}>
              <Button onClick={() => void runImport(true)} loading={busy} disabled={running} data-testid="csv-dry-run">
                {t('customers.csv.dryRun')}
              </Button>
              <Button type="primary" onClick={() => void runImport(false)} loading={busy} disabled={running} data-testid="csv-run">
                {t('customers.csv.run')}
              </Button>
            </Space>
          </div>
        )}
        {job && running && (
          <div data-testid="csv-progress" data-done={job.done} data-total={job.total} style={{ marginTop: 12 }}>
            <Typography.Text>{job.dryRun ? t('customers.csv.checking') : t('customers.csv.importing')}</Typography.Text>
            <Space style={{ display: 'flex', alignItems: 'center' }}>
              <Progress percent={job.total ? Math.floor((job.done / job.total) * 100) : 0} size="small" style={{ width: 360 }} showInfo={false} />
              <Typography.Text data-testid="csv-progress-text">{t('customers.csv.progress', { done: job.done.toLocaleString(), total: job.total.toLocaleString() })}</Typography.Text>
              <Button size="small" danger onClick={() => void cancelJob()} data-testid="csv-cancel">
                {t('customers.csv.cancel')}
              </Button>
            </Space>
          </div>
        )}
        {report && <ImportReport report={report} cancelled={job?.state === 'cancelled'} />}
      </div>
    </Modal>
  );
}

/** What an import did: counts, then every rejected row with its line, code and reasons. */
export function ImportReport({ report, cancelled = false }: { report: CsvImportReport; cancelled?: boolean }) {
  const { t } = useTranslation();
  const title = cancelled ? t('customers.csv.reportCancelled') : report.dryRun ? t('customers.csv.reportDryRun') : t('customers.csv.reportDone');
  return (
    <div data-testid="csv-report" data-dry-run={report.dryRun} data-cancelled={cancelled} style={{ marginTop: 12 }}>
      <Typography.Text strong>{title}</Typography.Text>
      <Space size={32} style={{ display: 'flex', margin: '6px 0' }}>
        <Statistic title={t('customers.csv.rows')} value={report.rows} />
        <div data-testid="csv-created">
          <Statistic title={t('customers.csv.created')} value={report.created} />
        </div>
        <div data-testid="csv-updated">
          <Statistic title={t('customers.csv.updated')} value={report.updated} />
        </div>
        <div data-testid="csv-rejected" className={report.rejected ? 'cd-danger' : undefined}>
          <Statistic title={t('customers.csv.rejected')} value={report.rejected} />
        </div>
      </Space>
      {report.rejectedRows.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey="line"
          scroll={{ y: 240 }}
          dataSource={report.rejectedRows}
          columns={[
            { title: t('customers.csv.line'), dataIndex: 'line', width: 80 },
            { title: t('customers.fields.code'), dataIndex: 'code', width: 140, render: (c: string | null) => c ?? '—' },
            { title: t('customers.csv.reasons'), dataIndex: 'reasons', render: (r: string[]) => r.join('; ') },
          ]}
          onRow={() => ({ 'data-testid': 'csv-rejected-row' }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
      {report.rejected > report.rejectedRows.length && (
        <Typography.Text type="secondary">{t('customers.csv.moreRejected', { count: report.rejected - report.rejectedRows.length })}</Typography.Text>
      )}
    </div>
  );
}
