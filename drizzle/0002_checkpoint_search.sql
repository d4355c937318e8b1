-- History search (SPEC §11, issue 7): an FTS5 index with the trigram tokenizer, so any
-- substring of three or more characters is found through the index instead of a scan.
-- External content: the text stays in `checkpoints` only; triggers keep the index in step,
-- inside the same transaction as the row. It is keyed by the checkpoints table's rowid:
-- after a manual VACUUM (which may renumber rowids of a table without an INTEGER PRIMARY KEY)
-- run INSERT INTO checkpoints_search(checkpoints_search) VALUES ('rebuild').
CREATE VIRTUAL TABLE `checkpoints_search` USING fts5(
  `step_name`, `content`, `edited_content`, `notes`,
  content='checkpoints', content_rowid='rowid', tokenize='trigram'
);
--> statement-breakpoint
CREATE TRIGGER `checkpoints_search_insert` AFTER INSERT ON `checkpoints` BEGIN
  INSERT INTO `checkpoints_search` (rowid, `step_name`, `content`, `edited_content`, `notes`)
  VALUES (new.rowid, new.`step_name`, new.`content`, new.`edited_content`, new.`notes`);
END;
--> statement-breakpoint
CREATE TRIGGER `checkpoints_search_delete` AFTER DELETE ON `checkpoints` BEGIN
  INSERT INTO `checkpoints_search` (`checkpoints_search`, rowid, `step_name`, `content`, `edited_content`, `notes`)
  VALUES ('delete', old.rowid, old.`step_name`, old.`content`, old.`edited_content`, old.`notes`);
END;
--> statement-breakpoint
CREATE TRIGGER `checkpoints_search_update` AFTER UPDATE OF `step_name`, `content`, `edited_content`, `notes` ON `checkpoints`
WHEN old.`step_name` IS NOT new.`step_name` OR old.`content` IS NOT new.`content`
  OR old.`edited_content` IS NOT new.`edited_content` OR old.`notes` IS NOT new.`notes` BEGIN
  INSERT INTO `checkpoints_search` (`checkpoints_search`, rowid, `step_name`, `content`, `edited_content`, `notes`)
  VALUES ('delete', old.rowid, old.`step_name`, old.`content`, old.`edited_content`, old.`notes`);
  INSERT INTO `checkpoints_search` (rowid, `step_name`, `content`, `edited_content`, `notes`)
  VALUES (new.rowid, new.`step_name`, new.`content`, new.`edited_content`, new.`notes`);
END;
--> statement-breakpoint
INSERT INTO `checkpoints_search` (`checkpoints_search`) VALUES ('rebuild');
