using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/MeshDashboard.Benchmarks -- --filter '*'
if (args is ["retained", var size])
{
    MeshDashboard.Benchmarks.RetainedMemory.Report(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(MeshDashboard.Benchmarks.CatalogBenchmarks).Assembly).Run(args);
