CREATE TABLE `admin_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`actor_user_id` text,
	`actor_token_id` text,
	`actor_name` text NOT NULL,
	`subject_user_id` text,
	`subject_id` text,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_events_actor_idx` ON `admin_events` (`actor_user_id`,`id`);--> statement-breakpoint
CREATE INDEX `admin_events_subject_idx` ON `admin_events` (`subject_user_id`,`id`);--> statement-breakpoint
CREATE TABLE `checkpoint_stats` (
	`created_day` text NOT NULL,
	`decided_day` text NOT NULL,
	`workflow_id` text NOT NULL,
	`step_name` text NOT NULL,
	`source` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`status` text NOT NULL,
	`count` integer NOT NULL,
	`decision_ms_sum` integer NOT NULL,
	`latency` text NOT NULL,
	PRIMARY KEY(`created_day`, `decided_day`, `workflow_id`, `step_name`, `source`, `reviewer_id`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP INDEX `checkpoints_workflow_step_idx`;--> statement-breakpoint
DROP INDEX `checkpoints_reviewer_idx`;--> statement-breakpoint
DROP INDEX `checkpoints_status_created_idx`;--> statement-breakpoint
DROP INDEX `checkpoints_source_created_idx`;--> statement-breakpoint
CREATE INDEX `checkpoints_workflow_created_idx` ON `checkpoints` (`workflow_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `checkpoints_step_created_idx` ON `checkpoints` (`step_name`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `checkpoints_reviewer_created_idx` ON `checkpoints` (`reviewer_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `checkpoints_status_created_idx` ON `checkpoints` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `checkpoints_source_created_idx` ON `checkpoints` (`source`,`created_at`,`id`);--> statement-breakpoint
-- History search (SPEC §11) over title, content, edited content and notes, and nothing else
-- (0002 also indexed the step name, which is a filter of its own). Same design as 0002:
-- external content, trigram tokenizer, kept in step by triggers in the row's transaction.
DROP TRIGGER `checkpoints_search_insert`;--> statement-breakpoint
DROP TRIGGER `checkpoints_search_delete`;--> statement-breakpoint
DROP TRIGGER `checkpoints_search_update`;--> statement-breakpoint
DROP TABLE `checkpoints_search`;--> statement-breakpoint
CREATE VIRTUAL TABLE `checkpoints_search` USING fts5(
  `title`, `content`, `edited_content`, `notes`,
  content='checkpoints', content_rowid='rowid', tokenize='trigram'
);
--> statement-breakpoint
CREATE TRIGGER `checkpoints_search_insert` AFTER INSERT ON `checkpoints` BEGIN
  INSERT INTO `checkpoints_search` (rowid, `title`, `content`, `edited_content`, `notes`)
  VALUES (new.rowid, new.`title`, new.`content`, new.`edited_content`, new.`notes`);
END;
--> statement-breakpoint
CREATE TRIGGER `checkpoints_search_delete` AFTER DELETE ON `checkpoints` BEGIN
  INSERT INTO `checkpoints_search` (`checkpoints_search`, rowid, `title`, `content`, `edited_content`, `notes`)
  VALUES ('delete', old.rowid, old.`title`, old.`content`, old.`edited_content`, old.`notes`);
END;
--> statement-breakpoint
CREATE TRIGGER `checkpoints_search_update` AFTER UPDATE OF `title`, `content`, `edited_content`, `notes` ON `checkpoints`
WHEN old.`title` IS NOT new.`title` OR old.`content` IS NOT new.`content`
  OR old.`edited_content` IS NOT new.`edited_content` OR old.`notes` IS NOT new.`notes` BEGIN
  INSERT INTO `checkpoints_search` (`checkpoints_search`, rowid, `title`, `content`, `edited_content`, `notes`)
  VALUES ('delete', old.rowid, old.`title`, old.`content`, old.`edited_content`, old.`notes`);
  INSERT INTO `checkpoints_search` (rowid, `title`, `content`, `edited_content`, `notes`)
  VALUES (new.rowid, new.`title`, new.`content`, new.`edited_content`, new.`notes`);
END;
--> statement-breakpoint
INSERT INTO `checkpoints_search` (`checkpoints_search`) VALUES ('rebuild');
--> statement-breakpoint
-- Analytics rollup (db/schema.ts checkpointStats): one row per created day, decided day,
-- workflow, step, source, reviewer and status, kept by these triggers in the row's transaction.
-- Latency bucket b = floor(8·log2(max(resolved_at − created_at, 1))) (lib/analytics/buckets.ts).
CREATE TRIGGER `checkpoint_stats_insert` AFTER INSERT ON `checkpoints` BEGIN
  INSERT INTO `checkpoint_stats` (`created_day`, `decided_day`, `workflow_id`, `step_name`, `source`, `reviewer_id`, `status`, `count`, `decision_ms_sum`, `latency`)
  VALUES (strftime('%Y-%m-%d', new.`created_at` / 1000, 'unixepoch'),
    CASE WHEN new.`resolved_at` IS NULL THEN '' ELSE strftime('%Y-%m-%d', new.`resolved_at` / 1000, 'unixepoch') END,
    new.`workflow_id`, new.`step_name`, coalesce(new.`source`, ''), coalesce(new.`reviewer_id`, ''), new.`status`, 1,
    coalesce(new.`resolved_at` - new.`created_at`, 0),
    CASE WHEN new.`resolved_at` IS NULL THEN '{}' ELSE json_object(CAST(CAST(floor(8 * log2(max(new.`resolved_at` - new.`created_at`, 1))) AS INTEGER) AS TEXT), 1) END)
  ON CONFLICT DO UPDATE SET `count` = `count` + 1, `decision_ms_sum` = `decision_ms_sum` + excluded.`decision_ms_sum`,
    `latency` = CASE WHEN new.`resolved_at` IS NULL THEN `latency`
      ELSE json_set(`latency`, '$."' || CAST(floor(8 * log2(max(new.`resolved_at` - new.`created_at`, 1))) AS INTEGER) || '"', coalesce(json_extract(`latency`, '$."' || CAST(floor(8 * log2(max(new.`resolved_at` - new.`created_at`, 1))) AS INTEGER) || '"'), 0) + 1) END;
END;
--> statement-breakpoint
CREATE TRIGGER `checkpoint_stats_delete` AFTER DELETE ON `checkpoints` BEGIN
  UPDATE `checkpoint_stats` SET `count` = `count` - 1,
    `decision_ms_sum` = `decision_ms_sum` - coalesce(old.`resolved_at` - old.`created_at`, 0),
    `latency` = CASE WHEN old.`resolved_at` IS NULL THEN `latency`
      ELSE json_set(`latency`, '$."' || CAST(floor(8 * log2(max(old.`resolved_at` - old.`created_at`, 1))) AS INTEGER) || '"', json_extract(`latency`, '$."' || CAST(floor(8 * log2(max(old.`resolved_at` - old.`created_at`, 1))) AS INTEGER) || '"') - 1) END
  WHERE `created_day` = strftime('%Y-%m-%d', old.`created_at` / 1000, 'unixepoch')
    AND `decided_day` = CASE WHEN old.`resolved_at` IS NULL THEN '' ELSE strftime('%Y-%m-%d', old.`resolved_at` / 1000, 'unixepoch') END
    AND `workflow_id` = old.`workflow_id` AND `step_name` = old.`step_name` AND `source` = coalesce(old.`source`, '')
    AND `reviewer_id` = coalesce(old.`reviewer_id`, '') AND `status` = old.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `checkpoint_stats_update` AFTER UPDATE OF `status`, `reviewer_id`, `resolved_at`, `created_at`, `workflow_id`, `step_name`, `source` ON `checkpoints`
WHEN old.`status` IS NOT new.`status` OR old.`reviewer_id` IS NOT new.`reviewer_id` OR old.`resolved_at` IS NOT new.`resolved_at`
  OR old.`created_at` IS NOT new.`created_at` OR old.`workflow_id` IS NOT new.`workflow_id`
  OR old.`step_name` IS NOT new.`step_name` OR old.`source` IS NOT new.`source` BEGIN
  UPDATE `checkpoint_stats` SET `count` = `count` - 1,
    `decision_ms_sum` = `decision_ms_sum` - coalesce(old.`resolved_at` - old.`created_at`, 0),
    `latency` = CASE WHEN old.`resolved_at` IS NULL THEN `latency`
      ELSE json_set(`latency`, '$."' || CAST(floor(8 * log2(max(old.`resolved_at` - old.`created_at`, 1))) AS INTEGER) || '"', json_extract(`latency`, '$."' || CAST(floor(8 * log2(max(old.`resolved_at` - old.`created_at`, 1))) AS INTEGER) || '"') - 1) END
  WHERE `created_day` = strftime('%Y-%m-%d', old.`created_at` / 1000, 'unixepoch')
    AND `decided_day` = CASE WHEN old.`resolved_at` IS NULL THEN '' ELSE strftime('%Y-%m-%d', old.`resolved_at` / 1000, 'unixepoch') END
    AND `workflow_id` = old.`workflow_id` AND `step_name` = old.`step_name` AND `source` = coalesce(old.`source`, '')
    AND `reviewer_id` = coalesce(old.`reviewer_id`, '') AND `status` = old.`status`;
  INSERT INTO `checkpoint_stats` (`created_day`, `decided_day`, `workflow_id`, `step_name`, `source`, `reviewer_id`, `status`, `count`, `decision_ms_sum`, `latency`)
  VALUES (strftime('%Y-%m-%d', new.`created_at` / 1000, 'unixepoch'),
    CASE WHEN new.`resolved_at` IS NULL THEN '' ELSE strftime('%Y-%m-%d', new.`resolved_at` / 1000, 'unixepoch') END,
    new.`workflow_id`, new.`step_name`, coalesce(new.`source`, ''), coalesce(new.`reviewer_id`, ''), new.`status`, 1,
    coalesce(new.`resolved_at` - new.`created_at`, 0),
    CASE WHEN new.`resolved_at` IS NULL THEN '{}' ELSE json_object(CAST(CAST(floor(8 * log2(max(new.`resolved_at` - new.`created_at`, 1))) AS INTEGER) AS TEXT), 1) END)
  ON CONFLICT DO UPDATE SET `count` = `count` + 1, `decision_ms_sum` = `decision_ms_sum` + excluded.`decision_ms_sum`,
    `latency` = CASE WHEN new.`resolved_at` IS NULL THEN `latency`
      ELSE json_set(`latency`, '$."' || CAST(floor(8 * log2(max(new.`resolved_at` - new.`created_at`, 1))) AS INTEGER) || '"', coalesce(json_extract(`latency`, '$."' || CAST(floor(8 * log2(max(new.`resolved_at` - new.`created_at`, 1))) AS INTEGER) || '"'), 0) + 1) END;
END;
--> statement-breakpoint
INSERT INTO `checkpoint_stats` (`created_day`, `decided_day`, `workflow_id`, `step_name`, `source`, `reviewer_id`, `status`, `count`, `decision_ms_sum`, `latency`)
SELECT `created_day`, `decided_day`, `workflow_id`, `step_name`, `source`, `reviewer_id`, `status`, sum(`n`), sum(`ms`),
  json_group_object(`bucket`, `n`) FILTER (WHERE `bucket` IS NOT NULL)
FROM (
  SELECT strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch') AS `created_day`,
    CASE WHEN `resolved_at` IS NULL THEN '' ELSE strftime('%Y-%m-%d', `resolved_at` / 1000, 'unixepoch') END AS `decided_day`,
    `workflow_id`, `step_name`, coalesce(`source`, '') AS `source`, coalesce(`reviewer_id`, '') AS `reviewer_id`, `status`,
    CASE WHEN `resolved_at` IS NULL THEN NULL ELSE CAST(CAST(floor(8 * log2(max(`resolved_at` - `created_at`, 1))) AS INTEGER) AS TEXT) END AS `bucket`,
    count(*) AS `n`, sum(coalesce(`resolved_at` - `created_at`, 0)) AS `ms`
  FROM `checkpoints`
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
GROUP BY 1, 2, 3, 4, 5, 6, 7;
