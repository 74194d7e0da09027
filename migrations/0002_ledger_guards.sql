-- The ledger is append-only and self-consistent, whatever the application does.
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only: journal entries cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only: journal entries cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only: postings cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only: postings cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_no_update BEFORE UPDATE ON ledger_accounts
BEGIN
  SELECT RAISE(ABORT, 'ledger accounts cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts
BEGIN
  SELECT RAISE(ABORT, 'ledger accounts cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER journal_entries_valid BEFORE INSERT ON journal_entries
BEGIN
  SELECT RAISE(ABORT, 'entry amount must be a positive integer')
    WHERE typeof(NEW.amount) != 'integer' OR NEW.amount <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER postings_valid BEFORE INSERT ON postings
BEGIN
  SELECT RAISE(ABORT, 'posting amount must be a positive integer')
    WHERE typeof(NEW.amount) != 'integer' OR NEW.amount <= 0;
  SELECT RAISE(ABORT, 'posting currency must be its entry''s currency')
    WHERE NEW.currency IS NOT (SELECT currency FROM journal_entries WHERE id = NEW.entry_id);
  SELECT RAISE(ABORT, 'posting currency must be its account''s currency')
    WHERE NEW.currency IS NOT (SELECT currency FROM ledger_accounts WHERE id = NEW.account_id);
  SELECT RAISE(ABORT, 'postings on one side would exceed the entry amount')
    WHERE NEW.amount + COALESCE((SELECT SUM(amount) FROM postings
                                 WHERE entry_id = NEW.entry_id AND direction = NEW.direction), 0)
          > (SELECT amount FROM journal_entries WHERE id = NEW.entry_id);
END;
