-- Planner settings for the portal's database, per database so nothing else on the server changes.
-- Operators: psql -v db=khuyencong -f docs/postgresql-settings.sql   (docs/deploy.md, section 3)
-- `make bench` applies this very file to its database (benchmarks/ensure_db.py), so the figures in
-- docs/performance.md are those of a server set up as the guide says.
-- No JIT compilation: the portal's queries are short; compiling cost more than it saved.
ALTER DATABASE :"db" SET jit = off;
-- SSD storage: a random page read costs about what a sequential one does.
ALTER DATABASE :"db" SET random_page_cost = 1.1;
-- About three quarters of the machine's memory (the OS page cache the planner may count on); 12GB for 16 GB.
ALTER DATABASE :"db" SET effective_cache_size = '12GB';
-- Memory per sort or hash of one query (reports group and sort large sets).
ALTER DATABASE :"db" SET work_mem = '32MB';
