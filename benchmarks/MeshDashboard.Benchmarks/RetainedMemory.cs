using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Model;

namespace MeshDashboard.Benchmarks;

/// <summary>
/// What the dashboard keeps per synced mesh, step by step (objects, snapshot, catalog, overview rows), measured as the
/// live heap after a full collection: <c>dotnet run -c Release --project benchmarks/MeshDashboard.Benchmarks -- retained 5000</c>.
/// </summary>
public static class RetainedMemory
{
    public static void Report(int services)
    {
        var before = Live();
        var snapshot = LargeMesh.Build(services);
        var afterSnapshot = Live();
        var catalog = MeshCatalog.Build(snapshot);
        var afterCatalog = Live();
        var rows = catalog.Services.Select(ServiceRow.Of).ToArray();
        var afterRows = Live();
        Console.WriteLine($"{services} services, {snapshot.Count(ResourceKind.Pod)} pods");
        Console.WriteLine($"  objects + snapshot: {(afterSnapshot - before) / 1e6:F1} MB");
        Console.WriteLine($"  catalog (index, services, findings): {(afterCatalog - afterSnapshot) / 1e6:F1} MB");
        Console.WriteLine($"  overview rows: {(afterRows - afterCatalog) / 1e6:F1} MB");
        GC.KeepAlive(snapshot);
        GC.KeepAlive(catalog);
        GC.KeepAlive(rows);
    }

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
