import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../shared/api/result';
import { CsvImportModal } from '../../../../renderer/features/customer/CsvImportModal';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { fakeCustomerApi } from '../../../fakes/fakeCustomerApi';

let fake: ReturnType<typeof fakeCustomerApi>;

// GBK bytes of "编号,姓名,手机\r\nA1,张伟,13800138000\r\n" would come from Chinese Excel; the renderer
// only carries bytes, so any bytes prove they travel unchanged as base64.
const bytes = new Uint8Array([0xb1, 0xe0, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x0d, 0x0a, 0x41, 0x31, 0x2c, 0xd5, 0xc5]);

function renderModal(onImported = vi.fn()) {
  render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <CsvImportModal open onClose={() => undefined} onImported={onImported} />
    </I18nextProvider>,
  );
  return onImported;
}

async function pickFile() {
  const input = screen.getByTestId('csv-import').querySelector('input[type=file]') as HTMLInputElement;
  await userEvent.upload(input, new File([bytes], 'customers-gbk.csv', { type: 'text/csv' }));
}

// antd rendering in jsdom is CPU bound: allow for a loaded machine.
describe('CsvImportModal', { timeout: 20_000 }, () => {
  beforeEach(() => {
    fake = fakeCustomerApi();
    useCustomerStore.getState().attach(fake.api);
    fake.customer.previewCsv.mockResolvedValue(
      ok({
        encoding: 'gb18030',
        delimiter: ',',
        headers: ['编号', '姓名', '手机', '备用'],
        suggestedMapping: { 编号: 'code', 姓名: 'name', 手机: 'mobile', 备用: null },
        sampleRows: [['A1', '张伟', '13800138000', 'x']],
        rowCount: 10,
      }),
    );
  });

  it('file -> preview with suggested mapping -> changed mapping -> import -> report with each rejected row and why', async () => {
    fake.customer.importCsv.mockResolvedValue(
      ok({
        encoding: 'gb18030',
        delimiter: ',',
        rows: 10,
        created: 6,
        updated: 1,
        rejected: 3,
        dryRun: false,
        rejectedRows: [
          { line: 3, code: 'A2', reasons: ['name is required'] },
          { line: 6, code: 'A5', reasons: ['phones.0.raw "12" is too short to be a phone number'] },
          { line: 9, code: null, reasons: ['status "maybe" is not one of potential, intent, ...'] },
        ],
      }),
    );
    const onImported = renderModal();
    await pickFile();
    await waitFor(() => expect(screen.getByTestId('csv-mapping')).toBeTruthy());
    const base64 = (fake.customer.previewCsv.mock.calls[0]![0] as { contentBase64: string }).contentBase64;
    expect(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))).toEqual(bytes);
    expect(screen.getByTestId('csv-mapping').textContent).toContain('10 rows · encoding gb18030 · separator ,');
    // The suggested mapping is shown; the agent maps the spare column to "Notes".
    expect(within(screen.getByTestId('csv-map-姓名')).getByText('Name')).toBeTruthy();
    fireEvent.mouseDown(within(screen.getByTestId('csv-map-备用')).getByRole('combobox'));
    await userEvent.click(await screen.findByTitle('Notes'));
    await userEvent.click(screen.getByTestId('csv-run'));
    await waitFor(() => expect(screen.getByTestId('csv-report')).toBeTruthy());
    expect(fake.customer.importCsv).toHaveBeenCalledWith({
      contentBase64: base64,
      encoding: 'auto',
      mapping: { 编号: 'code', 姓名: 'name', 手机: 'mobile', 备用: 'notes' },
      dryRun: false,
    });
    expect(screen.getByTestId('csv-created').textContent).toContain('6');
    expect(screen.getByTestId('csv-rejected').textContent).toContain('3');
    const rejected = screen.getAllByTestId('csv-rejected-row');
    expect(rejected).toHaveLength(3);
    expect(rejected[1]!.textContent).toContain('6');
    expect(rejected[1]!.textContent).toContain('"12" is too short to be a phone number');
    expect(onImported).toHaveBeenCalledTimes(1);
  });

  it('a dry run reports without writing and does not refresh the list', async () => {
    fake.customer.importCsv.mockResolvedValue(ok({ encoding: 'gb18030', delimiter: ',', rows: 10, created: 10, updated: 0, rejected: 0, dryRun: true, rejectedRows: [] }));
    const onImported = renderModal();
    await pickFile();
    await userEvent.click(await screen.findByTestId('csv-dry-run'));
    await waitFor(() => expect(screen.getByTestId('csv-report').getAttribute('data-dry-run')).toBe('true'));
    expect(screen.getByText('Check finished: nothing was written.')).toBeTruthy();
    expect((fake.customer.importCsv.mock.calls[0]![0] as { dryRun: boolean }).dryRun).toBe(true);
    expect(onImported).not.toHaveBeenCalled();
  });

  it('an unreadable file shows the reason and offers no import', async () => {
    fake.customer.previewCsv.mockResolvedValue(fail('INVALID_PAYLOAD', 'The file is not a CSV file'));
    renderModal();
    await pickFile();
    await waitFor(() => expect(screen.getByTestId('csv-error').textContent).toContain('The file is not a CSV file'));
    expect(screen.queryByTestId('csv-run')).toBeNull();
  });
});
