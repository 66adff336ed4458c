using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox;

namespace MeshDashboard.ScaleRunner;

/// <summary>
/// What the embedded sandbox keeps at a generated mesh's size, step by step, as the live heap after a full collection
/// (and the process's resident peak so far): the loaded store, the traffic simulator's view of the mesh, and every pod
/// listed in pages as the dashboard lists them. The sandbox's share of Sandbox mode, apart from the dashboard's:
/// <c>dotnet run -c Release --project benchmarks/MeshDashboard.ScaleRunner -- 5000 --sandbox-retained</c>.
/// </summary>
internal static class SandboxRetained
{
    public static async Task ReportAsync(int services, int namespaces)
    {
        var data = Directory.CreateTempSubdirectory("meshdashboard-scale-retained-");
        try
        {
            GeneratedMesh.Write(data.FullName, services, namespaces);
            var before = Live();
            var rssBefore = Resident("VmRSS");
            // As Sandbox mode starts it (traffic on), except that the runner ticks the simulator itself.
            var options = new SandboxOptions { DataDirectory = data.FullName, SeedDemoMesh = false };
            options.Traffic.TickedByOwner = true;
            await using var sandbox = await SandboxCluster.StartAsync(options);
            var startPeak = Resident("VmHWM");
            var afterLoad = Live();
            sandbox.Traffic!.Tick();
            var afterTraffic = Live();
            var listed = await ListPodsAsync(sandbox);
            var afterList = Live();

            Console.WriteLine($"sandbox at {services} services ({listed} pods listed), live heap after a full collection:");
            Console.WriteLine($"  store (objects, indexes): {(afterLoad - before) / 1e6:F1} MB");
            Console.WriteLine($"  traffic simulator's mesh: {(afterTraffic - afterLoad) / 1e6:F1} MB");
            Console.WriteLine($"  after listing every pod (kept list snapshots): {(afterList - afterTraffic) / 1e6:F1} MB");
            Console.WriteLine($"  total: {(afterList - before) / 1e6:F1} MB; resident peak during start {(startPeak - rssBefore) / 1e6:F0} MB above the {rssBefore / 1e6:F0} MB before it; resident now {Resident("VmRSS") / 1e6:F0} MB");
            GC.KeepAlive(sandbox);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    // Pages of 500, as the dashboard's watch cache lists them.
    private static async Task<int> ListPodsAsync(SandboxCluster sandbox)
    {
        using var client = ScaleRun.ClusterClient(sandbox);
        var count = 0;
        var next = "";
        do
        {
            var page = (await JsonNode.ParseAsync(await client.GetStreamAsync(new Uri($"api/v1/pods?limit=500&continue={Uri.EscapeDataString(next)}", UriKind.Relative))))!;
            count += page["items"]!.AsArray().Count;
            next = (string?)page["metadata"]?["continue"] ?? "";
        }
        while (next.Length > 0);
        return count;
    }

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // From /proc/self/status, in bytes: VmRSS (resident now) or VmHWM (the resident peak so far).
    private static long Resident(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024).First();
}
