// Core is pure and stateless: every test may run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]
