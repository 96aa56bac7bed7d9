import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m002Customers } from '../../../../../electron/core/store/migrations/002_customers';
import { m003CustomerSearch } from '../../../../../electron/core/store/migrations/003_customer_search';

describe('migration 003_customer_search', () => {
  it('indexes customers that existed before it, phones and emails included', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m002Customers]);
    const id = Number(
      db
        .prepare(
          `INSERT INTO customers (code, name, company, type, status, level, source, lifecycle_stage, created_at, updated_at, tags_json, name_pinyin, name_initials)
           VALUES ('C001', '张伟', '深圳市腾飞科技有限公司', 'person', 'potential', 'standard', 'other', 'acquisition', 1, 1, '["vip客户"]', 'zhangwei', 'zw')`,
        )
        .run().lastInsertRowid,
    );
    db.prepare("INSERT INTO customer_phones (customer_id, position, raw, e164, label) VALUES (?, 0, '0755-8888 1234', '+8675588881234', 'work')").run(id);
    db.prepare("INSERT INTO customer_emails (customer_id, position, address, label) VALUES (?, 0, 'wei.zhang@example.cn', 'work')").run(id);

    migrate(db, [m001Settings, m002Customers, m003CustomerSearch]);
    expect(readSchemaVersion(db)).toBe(3);
    const find = (q: string) => (db.prepare('SELECT rowid AS id FROM customer_search WHERE customer_search MATCH ?').all(q) as { id: number }[]).map((r) => r.id);
    expect(find('"腾飞科"')).toEqual([id]);
    expect(find('"88881234"')).toEqual([id]);
    expect(find('"075588881234"')).toEqual([id]);
    expect(find('"zhangwei"')).toEqual([id]);
    expect(find('"wei.zhang"')).toEqual([id]);
    expect(find('"vip客户"')).toEqual([id]);
    expect(find('"不存在"')).toEqual([]);
  });

  it('uses the trigram tokenizer: substrings of Chinese text match, case folded', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m002Customers, m003CustomerSearch]);
    db.prepare("INSERT INTO customer_search (rowid, name, company, code, phones, emails, tags, pinyin) VALUES (1, '欧阳娜娜', 'ACME Trading', 'C1', '', '', '', '')").run();
    const hits = (q: string) => (db.prepare('SELECT count(*) AS n FROM customer_search WHERE customer_search MATCH ?').get(q) as { n: number }).n;
    expect(hits('"阳娜娜"')).toBe(1);
    expect(hits('"acme tr"')).toBe(1);
  });
});
