using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/MeshDashboard.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(MeshDashboard.Benchmarks.CatalogBenchmarks).Assembly).Run(args);
