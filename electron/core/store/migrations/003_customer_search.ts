import type { Migration } from '../migration';

/**
 * Full-text search over customers: one FTS5 table with the `trigram` tokenizer, so any substring of
 * three or more characters matches, Chinese names included (no word segmentation needed), and
 * phone fragments match inside numbers. Row id = customer id. The repository keeps it in step with
 * the customer in the same transaction (the pinyin column is computed in JavaScript, so no SQL
 * trigger can do it); existing rows are indexed here from what SQL can read.
 */
export const m003CustomerSearch: Migration = {
  version: 3,
  name: 'customer_search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE customer_search USING fts5 (
        name, company, code, phones, emails, tags, pinyin,
        tokenize = 'trigram remove_diacritics 1'
      );
      INSERT INTO customer_search (rowid, name, company, code, phones, emails, tags, pinyin)
      SELECT
        c.id, c.name, c.company, c.code,
        coalesce((SELECT group_concat(coalesce(replace(p.e164, '+', ''), '') || ' ' ||
                    replace(replace(replace(replace(replace(p.raw, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), ' ')
                  FROM customer_phones p WHERE p.customer_id = c.id), ''),
        coalesce((SELECT group_concat(e.address, ' ') FROM customer_emails e WHERE e.customer_id = c.id), ''),
        coalesce((SELECT group_concat(t.value, ' ') FROM json_each(c.tags_json) t), ''),
        trim(c.name_pinyin || ' ' || c.name_initials)
      FROM customers c;
    `);
  },
};
