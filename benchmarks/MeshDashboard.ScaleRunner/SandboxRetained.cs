using System.Globalization;
using System.Text.Json;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;
using MeshDashboard.Sandbox.Traffic;

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
            // A quarter of an hour of the simulator's checkpoints (one per 5 s), as a dashboard left open keeps them coming.
            var checkpoints = sandbox.Traffic.Ledger;
            var clock = DateTimeOffset.UtcNow;
            for (var i = 1; i <= 180; i++)
            {
                checkpoints.Checkpoint(clock.AddSeconds(5 * i));
            }
            var afterCheckpoints = Live();
            var listed = await ListPodsAsync(sandbox);
            var afterList = Live();
            await ListPodsAsync(sandbox);
            var afterSecondList = Live();
            // Sandbox mode: the simulator routes by the dashboard's cache instead of its own copy. The mesh as that cache
            // keeps it (the dashboard's share, not the sandbox's), then what a simulator over it keeps of its own.
            var shared = new DashboardLikeMesh(sandbox.Store);
            var afterSharedMesh = Live();
            var sharedOptions = new TrafficOptions { TickedByOwner = true };
            await using var sharedTraffic = new SandboxTraffic(sandbox.Store, sharedOptions, TimeProvider.System, shared);
            // A second of requests (the first tick's share of time), so every service is routed and reported as above.
            await Task.Delay(TimeSpan.FromSeconds(1));
            sharedTraffic.Tick();
            var afterSharedTraffic = Live();

            Console.WriteLine($"sandbox at {services} services ({listed} pages of pods listed), live heap after a full collection:");
            Console.WriteLine($"  store (objects, indexes): {(afterLoad - before) / 1e6:F1} MB");
            Console.WriteLine($"  traffic simulator's mesh: {(afterTraffic - afterLoad) / 1e6:F1} MB");
            Console.WriteLine($"  a quarter of an hour of traffic checkpoints: {(afterCheckpoints - afterTraffic) / 1e6:F1} MB");
            Console.WriteLine($"  after listing every pod (kept list snapshots, the server's buffers): {(afterList - afterCheckpoints) / 1e6:F1} MB, and again: {(afterSecondList - afterList) / 1e6:F1} MB");
            Console.WriteLine($"  total: {(afterSecondList - before) / 1e6:F1} MB; resident peak during start {(startPeak - rssBefore) / 1e6:F0} MB above the {rssBefore / 1e6:F0} MB before it; resident now {Resident("VmRSS") / 1e6:F0} MB");
            Console.WriteLine($"Sandbox mode's simulator, over the dashboard's cache: the mesh as that cache keeps it (the dashboard's, counted for comparison) {(afterSharedMesh - afterSecondList) / 1e6:F1} MB; the simulator's own state after one tick {(afterSharedTraffic - afterSharedMesh) / 1e6:F1} MB");
            GC.KeepAlive(sandbox);
            GC.KeepAlive(shared);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    // Pages of 500, as the dashboard's watch cache lists them. Each page is read through one buffer of the runner's own and
    // only its head is scanned (the continue token comes before the items): whatever a client keeps in this process's
    // pools would be counted as the sandbox's.
    private static async Task<int> ListPodsAsync(SandboxCluster sandbox)
    {
        using var client = ScaleRun.ClusterClient(sandbox);
        var buffer = new byte[64 * 1024];
        var pages = 0;
        var next = "";
        do
        {
            using var response = await client.GetAsync(new Uri($"api/v1/pods?limit=500&continue={Uri.EscapeDataString(next)}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var head = await body.ReadAtLeastAsync(buffer, 4096, throwOnEndOfStream: false);
            next = ContinueOf(buffer.AsSpan(0, head));
            while (await body.ReadAsync(buffer) > 0)
            {
            }
            pages++;
        }
        while (next.Length > 0);
        return pages;
    }

    // metadata.continue of a list page, from its first bytes.
    private static string ContinueOf(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, default);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("items"))
            {
                return "";
            }
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals("continue") && reader.Read())
            {
                return reader.GetString() ?? "";
            }
        }
        return "";
    }

    /// <summary>
    /// The mesh as the dashboard's watch cache keeps it (pods as their summary, other kinds whole) with its index, read once
    /// from the store: what the simulator reads in Sandbox mode.
    /// </summary>
    private sealed class DashboardLikeMesh(ObjectStore store) : ITrafficMeshSource
    {
        private readonly MeshIndex _index = new(MeshSnapshot.From(new[]
            {
                ("", "Service", ResourceKind.Service),
                ("", "Pod", ResourceKind.Pod),
                (ResourceTypes.IstioNetworkingGroup, "VirtualService", ResourceKind.VirtualService),
                (ResourceTypes.IstioNetworkingGroup, "DestinationRule", ResourceKind.DestinationRule),
                (ResourceTypes.IstioNetworkingGroup, "Gateway", ResourceKind.Gateway),
            }
            .Where(k => store.Types.FindKind(k.Item1, "v1", k.Item2) is not null)
            .SelectMany(k => store.List(store.Types.FindKind(k.Item1, "v1", k.Item2)!, null).Items.Select(o => k.Item3 == ResourceKind.Pod
                ? new KubeObject(PodSummary.Read(o.Utf8Json.Span))
                : new KubeObject(k.Item3, Whole(o))))));

        public MeshIndex? Current => _index;

        private static System.Text.Json.Nodes.JsonObject Whole(StoredObject stored)
        {
            using var document = JsonDocument.Parse(stored.Utf8Json);
            return JsonElementNodes.ToObject(document.RootElement);
        }
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
