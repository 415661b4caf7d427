// Each class builds real apps; two at a time keep both cores busy without starving dotnet build.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]
