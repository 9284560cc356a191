-- Number 5 belongs to the pipelines branch's migration, which lands in main beside this branch's
-- 0006. Until then this empty step keeps the numbers gapless on this branch; at the merge this
-- file is deleted in favour of that branch's 0005 (loadMigrations refuses two files numbered 5).
SELECT 1;
