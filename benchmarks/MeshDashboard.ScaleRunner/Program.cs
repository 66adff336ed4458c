using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;
using MeshDashboard.ScaleRunner;
using Microsoft.Playwright;

// dotnet publish -c Release -r linux-x64 -p:PublishReadyToRun=true src/MeshDashboard -o artifacts/scale/dashboard (as the Dockerfile publishes it)
// dotnet run -c Release --project benchmarks/MeshDashboard.ScaleRunner -- 500 2000 5000 20000
// Add --no-browser to skip what needs Chromium (CPU per event with an overview open, memory per open page).
// --env NAME=VALUE sets the dashboard's environment (e.g. --env DOTNET_gcServer=0 to compare collectors).
var browser = !args.Contains("--no-browser");
// --sync-only stops after the sync figures (time to ready, memory at ready).
ScaleRun.SyncOnly = args.Contains("--sync-only");
// --search-only measures the time to ready, then goes straight to the search keystroke (for working on the overview).
ScaleRun.SearchOnly = args.Contains("--search-only");
// --keystrokes N types N search keystrokes instead of 120 (more to attach a profiler; the last 20 are the warm figures).
ScaleRun.Keystrokes = args.Zip(args.Skip(1)).Where(p => p.First == "--keystrokes").Select(p => int.Parse(p.Second, CultureInfo.InvariantCulture)).DefaultIfEmpty(120).Last();
// --no-sandbox-mode measures the dashboard beside its cluster only (Sandbox mode at 20,000 services needs several GB).
ScaleRun.SkipSandboxMode = args.Contains("--no-sandbox-mode");
// --sandbox-mode-only skips the Kubeconfig-mode run and measures Sandbox mode alone (what the embedded sandbox costs).
ScaleRun.SandboxModeOnly = args.Contains("--sandbox-mode-only");
var environment = args.Zip(args.Skip(1)).Where(p => p.First == "--env").Select(p => p.Second.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
args = [.. args.Where((a, i) => a is not ("--env" or "--keystrokes") && (i == 0 || args[i - 1] is not ("--env" or "--keystrokes")))];
var sizes = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(500).ToList();
var repository = FindRepository();
ScaleRun.Repository = repository;
if (args.Contains("--sandbox-retained"))
{
    // The embedded sandbox's own memory, in this process: no dashboard published or started.
    foreach (var size in sizes)
    {
        await SandboxRetained.ReportAsync(size, 50);
    }
    return 0;
}

// Published, as it is deployed: a build's output serves its static files only in Development.
var dashboardDll = Path.Combine(repository, "artifacts/scale/dashboard/MeshDashboard.dll");
if (!File.Exists(dashboardDll))
{
    Console.Error.WriteLine($"Publish the dashboard first: dotnet publish -c Release -r linux-x64 -p:PublishReadyToRun=true src/MeshDashboard -o artifacts/scale/dashboard ({dashboardDll} is missing)");
    return 2;
}
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

if (args.Contains("--hold"))
{
    // A generated mesh served until Enter, for kubectl, a profiler or a dashboard started by hand.
    await ScaleRun.HoldAsync(sizes[0]);
    return 0;
}

var results = new List<SizeResult>();
foreach (var size in sizes)
{
    results.Add(await ScaleRun.MeasureAsync(size, dashboardDll, browser, environment));
    Console.WriteLine(results[^1]);
}
Console.WriteLine();
Console.WriteLine(SizeResult.Table(results));
return 0;

static string FindRepository()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "MeshDashboard.sln")))
        {
            return directory.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository");
}

namespace MeshDashboard.ScaleRunner
{
    internal sealed record SizeResult(
        int Services, int Objects, long PodBytes, TimeSpan Sync, long RssAtReady, long RssPeak,
        int RequestsFirstView, int RequestsRepeatedView,
        double EditMs, double PatchMs, double PreviewMs, double SeenP50Ms, double SeenP99Ms,
        double CpuPerPodEventMs, double? CpuPerPodEventWithOverviewMs, long? BytesPerOpenPage)
    {
        /// <summary>`kubectl patch` of the same change (a process per patch, as a person runs it), mean; null without kubectl.</summary>
        public double? KubectlPatchMs { get; init; }

        /// <summary>The dashboard's CPU time (user and system) from its start to ready: what the sync costs, less what the machine's other load adds to the wall clock.</summary>
        public TimeSpan CpuAtReady { get; init; }

        /// <summary>The sandbox's CPU (the runner's process) over the same time: serving the lists on the same two cores.</summary>
        public TimeSpan SandboxCpuToReady { get; init; }

        /// <summary>Search keystroke → the overview shows the filtered list (its count changed), in the browser: median and slowest of the runs.</summary>
        public SearchTimes? Search { get; init; }

        /// <summary>Sandbox mode (the sandbox inside the dashboard's process): time to ready, RSS at ready and its peak over 20 page views and 150 edits.</summary>
        public (TimeSpan Sync, long RssAtReady, long RssPeak)? SandboxMode { get; init; }

        public static string Table(IReadOnlyList<SizeResult> results)
        {
            var text = new StringBuilder();
            text.AppendLine("| measure | " + string.Join(" | ", results.Select(r => r.Services.ToString("N0", CultureInfo.InvariantCulture))) + " |");
            text.AppendLine("|---|" + string.Concat(results.Select(_ => "---|")));
            if (ScaleRun.SandboxModeOnly)
            {
                Row("Sandbox mode: start → /readyz", r => $"{r.SandboxMode!.Value.Sync.TotalSeconds:F1} s");
                Row("Sandbox mode: RSS at ready / peak after 20 page views and 150 edits", r => $"{Mb(r.SandboxMode!.Value.RssAtReady)} / {Mb(r.SandboxMode!.Value.RssPeak)}");
                return text.ToString();
            }
            Row("objects (pod JSON each, mean)", r => $"{r.Objects:N0} ({r.PodBytes / (r.Services * GeneratedMesh.PodsPerService) / 1024.0:F1} KB)");
            Row("process start → /readyz", r => $"{r.Sync.TotalSeconds:F1} s");
            Row("CPU from start to ready", r => $"{r.CpuAtReady.TotalSeconds:F1} s");
            Row("the sandbox's CPU over the same time (serving the lists)", r => $"{r.SandboxCpuToReady.TotalSeconds:F1} s");
            Row("RSS at ready", r => Mb(r.RssAtReady));
            Row("RSS peak during the run", r => Mb(r.RssPeak));
            Row("CPU per pod readiness event, no page open", r => $"{r.CpuPerPodEventMs:F2} ms");
            Row("CPU per pod readiness event, overview open", r => r.CpuPerPodEventWithOverviewMs is { } ms ? $"{ms:F2} ms" : "–");
            Row("memory per open overview page", r => r.BytesPerOpenPage is { } bytes ? Mb(bytes) : "–");
            Row("search keystroke → list updated, in the page, first 20 after start: median / slowest", r => r.Search is { } s ? $"{s.ColdMedianMs:F0} / {s.ColdMaxMs:F0} ms" : "–");
            Row("search keystroke → list updated, in the page, warm (last 20): median / slowest", r => r.Search is { } s ? $"{s.WarmMedianMs:F0} / {s.WarmMaxMs:F0} ms" : "–");
            Row("the warm ones with Playwright's round trips: median / slowest", r => r.Search is { } s ? $"{s.WarmRoundTripMedianMs:F0} / {s.WarmRoundTripMaxMs:F0} ms" : "–");
            Row("dashboard CPU per search keystroke, all / warm", r => r.Search is { } s ? $"{s.DashboardCpuMs:F1} / {s.WarmDashboardCpuMs:F1} ms" : "–");
            Row("raw PATCH → API shows it, p50 / p99", r => $"{r.SeenP50Ms:F0} / {r.SeenP99Ms:F0} ms");
            Row("`PUT …/weights` ÷ raw PATCH (mean of 30, interleaved)", r => $"{r.EditMs / r.PatchMs:F1}× ({r.EditMs:F0} vs {r.PatchMs:F0} ms)");
            Row("`PUT …/weights` ÷ `kubectl patch` (mean of 30, interleaved)", r => r.KubectlPatchMs is { } k ? $"{r.EditMs / k:F2}× ({r.EditMs:F0} vs {k:F0} ms)" : "–");
            Row("preview (`dryRun=true`), mean of 30", r => $"{r.PreviewMs:F0} ms");
            Row("cluster requests per service page view (first / repeated)", r => $"{r.RequestsFirstView} / {r.RequestsRepeatedView}");
            Row("Sandbox mode: start → /readyz", r => r.SandboxMode is { } m ? $"{m.Sync.TotalSeconds:F1} s" : "–");
            Row("Sandbox mode: RSS at ready / peak after 20 page views and 150 edits", r => r.SandboxMode is { } m ? $"{Mb(m.RssAtReady)} / {Mb(m.RssPeak)}" : "–");
            return text.ToString();

            void Row(string name, Func<SizeResult, string> cell) => text.AppendLine($"| {name} | " + string.Join(" | ", results.Select(cell)) + " |");
        }

        private static string Mb(long bytes) => $"{bytes / 1_000_000.0:F0} MB";
    }

    /// <summary>
    /// Search keystrokes timed in the page (input event → the frame after the DOM changed): the first 20 after start-up
    /// (cold) and the last 20 (warm); the warm ones also from the runner (with Playwright's round trips); the dashboard's
    /// CPU per keystroke over all of them and over the warm ones.
    /// </summary>
    internal sealed record SearchTimes(
        double ColdMedianMs, double ColdMaxMs, double WarmMedianMs, double WarmMaxMs, double WarmRoundTripMedianMs, double WarmRoundTripMaxMs,
        double DashboardCpuMs, double WarmDashboardCpuMs);

    internal static class ScaleRun
    {
        private const int Namespaces = 50;
        private const int Samples = 30;
        private const int PodEvents = 200;
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

        public static bool SyncOnly { get; set; }

        public static bool SearchOnly { get; set; }

        public static int Keystrokes { get; set; } = 120;

        public static bool SkipSandboxMode { get; set; }

        public static bool SandboxModeOnly { get; set; }

        public static string Repository { get; set; } = "";

        public static async Task HoldAsync(int services)
        {
            var data = Directory.CreateTempSubdirectory("meshdashboard-scale-");
            GeneratedMesh.Write(data.FullName, services, Namespaces);
            var options = new SandboxOptions { DataDirectory = data.FullName, SeedDemoMesh = false };
            options.Traffic.Enabled = false;
            await using var sandbox = await SandboxCluster.StartAsync(options);
            Console.WriteLine($"KUBECONFIG={sandbox.KubeconfigPath}");
            Console.ReadLine();
            data.Delete(recursive: true);
        }

        public static async Task<SizeResult> MeasureAsync(int services, string dashboardDll, bool browser, IReadOnlyDictionary<string, string> environment)
        {
            if (SandboxModeOnly)
            {
                var (sandboxSync, sandboxAtReady, sandboxPeak) = await SandboxModeAsync(services, dashboardDll, environment);
                Console.WriteLine($"Sandbox mode at {services} services: ready after {sandboxSync.TotalSeconds:F1} s, RSS at ready {sandboxAtReady / 1_000_000.0:F0} MB, peak after 20 page views and 150 edits {sandboxPeak / 1_000_000.0:F0} MB");
                return new SizeResult(services, 0, 0, TimeSpan.Zero, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, null, null) { SandboxMode = (sandboxSync, sandboxAtReady, sandboxPeak) };
            }
            var kubeconfigMode = await KubeconfigModeAsync(services, dashboardDll, browser, environment);
            return SyncOnly || SearchOnly || SkipSandboxMode ? kubeconfigMode : kubeconfigMode with { SandboxMode = await SandboxModeAsync(services, dashboardDll, environment) };
        }

        // The dashboard as its own process against the runner's sandbox, as beside a real cluster.
        private static async Task<SizeResult> KubeconfigModeAsync(int services, string dashboardDll, bool browser, IReadOnlyDictionary<string, string> environment)
        {
            var data = Directory.CreateTempSubdirectory("meshdashboard-scale-");
            try
            {
                var (objects, podBytes) = GeneratedMesh.Write(data.FullName, services, Namespaces);
                var options = new SandboxOptions { DataDirectory = data.FullName, SeedDemoMesh = false };
                options.Traffic.Enabled = false;
                await using var sandbox = await SandboxCluster.StartAsync(options);
                using var cluster = ClusterClient(sandbox);
                await WarmAsync(cluster);

                var runnerCpu = Process.GetCurrentProcess().TotalProcessorTime;
                await using var dashboard = DashboardProcess.Start(dashboardDll, sandbox.KubeconfigPath, Path.Combine(Path.GetTempPath(), $"meshdashboard-scale-{services}.log"), environment);
                using var http = new HttpClient { BaseAddress = dashboard.Address };
                var sync = await dashboard.AnnouncedReady.WaitAsync(Patience);
                if (await TryGetAsync(http, "readyz") != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException("the dashboard announced it was ready but /readyz does not say so");
                }
                var rssAtReady = dashboard.ResidentBytes();
                var cpuAtReady = dashboard.CpuTime();
                var sandboxCpu = Process.GetCurrentProcess().TotalProcessorTime - runnerCpu;
                if (SyncOnly)
                {
                    return new SizeResult(services, objects, podBytes, sync, rssAtReady, rssAtReady, 0, 0, 0, 1, 0, 0, 0, 0, null, null) { CpuAtReady = cpuAtReady, SandboxCpuToReady = sandboxCpu };
                }
                if (SearchOnly)
                {
                    await using var searching = await Chromium.StartAsync();
                    return new SizeResult(services, objects, podBytes, sync, rssAtReady, rssAtReady, 0, 0, 0, 1, 0, 0, 0, 0, null, null)
                    {
                        CpuAtReady = cpuAtReady,
                    SandboxCpuToReady = sandboxCpu,
                        Search = await SearchKeystrokesAsync(await searching.OpenAsync(dashboard.Address), dashboard),
                    };
                }
                using var peak = new PeakSampler(dashboard);

                // A service page viewed (server-side render): the cluster requests it causes, first and repeated.
                var (ns0, svc0) = (GeneratedMesh.NamespaceOf(0, Namespaces), GeneratedMesh.ServiceName(0));
                var first = await CountRequestsAsync(sandbox, () => http.GetStringAsync(new Uri($"services/{ns0}/{svc0}", UriKind.Relative)));
                var repeated = await CountRequestsAsync(sandbox, () => http.GetStringAsync(new Uri($"services/{ns0}/{svc0}", UriKind.Relative)));

                // What one edit asks of the cluster, in order (printed once per size).
                var sawBefore = sandbox.Requests.Snapshot().Count;
                await PutWeightsAsync(http, ns0, svc0, 5, dryRun: false);
                Console.WriteLine($"one edit at {services} services: " + string.Join(", ", sandbox.Requests.Snapshot().Skip(sawBefore).Where(r => !r.Path.Contains("watch=", StringComparison.OrdinalIgnoreCase)).Select(r => $"{r.Method} {r.Path.Split('?')[0]}")));

                // An edit through the dashboard against the same change as a raw merge PATCH, interleaved, on other services.
                var edits = new List<double>();
                var patches = new List<double>();
                var previews = new List<double>();
                var kubectlPatches = new List<double>();
                var kubectl = Path.Combine(Repository, ".tools/kubectl-v1.35/kubectl");
                for (var i = 0; i < Samples; i++)
                {
                    var (ns, name) = Service(services, 1 + i);
                    var weight = 10 + i % 50;
                    edits.Add(await TimeAsync(() => PutWeightsAsync(http, ns, name, weight, dryRun: false)));
                    patches.Add(await TimeAsync(() => PatchWeightsAsync(cluster, Service(services, 1 + Samples + i), weight)));
                    previews.Add(await TimeAsync(() => PutWeightsAsync(http, ns, name, weight + 1, dryRun: true)));
                    if (File.Exists(kubectl))
                    {
                        kubectlPatches.Add(await TimeAsync(() => KubectlPatchAsync(kubectl, sandbox.KubeconfigPath, Service(services, 1 + 3 * Samples + i), weight)));
                    }
                }

                // A raw PATCH, then how long until the dashboard's API answers the new configuration (its ETag moves).
                var seen = new List<double>();
                for (var i = 0; i < Samples; i++)
                {
                    var target = Service(services, 1 + 2 * Samples + i);
                    var before = await ETagAsync(http, target);
                    var watch = Stopwatch.StartNew();
                    await PatchWeightsAsync(cluster, target, 33);
                    await UntilAsync(async () => await ETagAsync(http, target) != before, dashboard);
                    seen.Add(watch.Elapsed.TotalMilliseconds);
                }

                var cpuPerEvent = await CpuPerPodEventAsync(sandbox, http, dashboard, services, offset: 0);
                double? cpuWithOverview = null;
                long? perPage = null;
                SearchTimes? search = null;
                if (browser)
                {
                    await using var chromium = await Chromium.StartAsync();
                    var overview = await chromium.OpenAsync(dashboard.Address);
                    try
                    {
                        search = await SearchKeystrokesAsync(overview, dashboard);
                    }
                    catch (TimeoutException error)
                    {
                        Console.WriteLine($"search at {services} services: the list did not follow a keystroke within 10 s ({error.Message})");
                    }
                    cpuWithOverview = await CpuPerPodEventAsync(sandbox, http, dashboard, services, offset: PodEvents);
                    const int Pages = 10;
                    await Settle(dashboard);
                    var beforePages = dashboard.ResidentBytes();
                    for (var i = 0; i < Pages; i++)
                    {
                        await chromium.OpenAsync(dashboard.Address);
                    }
                    await Settle(dashboard);
                    perPage = (dashboard.ResidentBytes() - beforePages) / Pages;
                }

                var result = new SizeResult(services, objects, podBytes, sync, rssAtReady, peak.Peak,
                    first, repeated, edits.Average(), patches.Average(), previews.Average(),
                    Percentile(seen, 0.5), Percentile(seen, 0.99), cpuPerEvent, cpuWithOverview, perPage)
                {
                    CpuAtReady = cpuAtReady,
                    SandboxCpuToReady = sandboxCpu,
                    Search = search,
                    KubectlPatchMs = kubectlPatches.Count > 0 ? kubectlPatches.Average() : null,
                };
                return result;
            }
            finally
            {
                data.Delete(recursive: true);
            }
        }

        // The dashboard with its own sandbox (`dotnet run` on a large data directory): one process holds both.
        private static async Task<(TimeSpan, long, long)> SandboxModeAsync(int services, string dashboardDll, IReadOnlyDictionary<string, string> environment)
        {
            var data = Directory.CreateTempSubdirectory("meshdashboard-scale-sandbox-");
            try
            {
                GeneratedMesh.Write(data.FullName, services, Namespaces);
                var settings = new Dictionary<string, string>(environment)
                {
                    ["Cluster__Mode"] = "Sandbox",
                    ["Sandbox__DataDirectory"] = data.FullName,
                    ["Sandbox__SeedDemoMesh"] = "false",
                };
                var clock = Stopwatch.StartNew();
                await using var dashboard = DashboardProcess.Start(dashboardDll, kubeconfig: null, Path.Combine(Path.GetTempPath(), $"meshdashboard-scale-sandbox-{services}.log"), settings);
                using var http = new HttpClient { BaseAddress = dashboard.Address };
                // Loading the sandbox's objects can cost more than holding them: the start's own peak is printed apart.
                using (var startPeak = new PeakSampler(dashboard))
                {
                    await UntilAsync(async () => (await TryGetAsync(http, "readyz")) == HttpStatusCode.OK, dashboard);
                    Console.WriteLine($"Sandbox mode at {services} services: RSS peak during start {startPeak.Peak / 1_000_000.0:F0} MB");
                }
                var sync = clock.Elapsed;
                var atReady = dashboard.ResidentBytes();
                using var peak = new PeakSampler(dashboard);
                for (var i = 0; i < 150; i++)
                {
                    var (ns, name) = Service(services, i);
                    await PutWeightsAsync(http, ns, name, 10 + i % 40, dryRun: false);
                    if (i % 15 == 0)
                    {
                        await http.GetStringAsync(new Uri("", UriKind.Relative));
                        await http.GetStringAsync(new Uri($"services/{ns}/{name}", UriKind.Relative));
                    }
                }
                return (sync, atReady, peak.Peak);
            }
            finally
            {
                data.Delete(recursive: true);
            }
        }

        // Readiness flips on pods of distinct services, written as the kubelet writes them (status); the CPU the
        // dashboard spends until it shows the last one, per flip.
        private static async Task<double> CpuPerPodEventAsync(SandboxCluster sandbox, HttpClient http, DashboardProcess dashboard, int services, int offset)
        {
            await Settle(dashboard);
            var cpuBefore = dashboard.CpuTime();
            var cpuWarm = cpuBefore;
            var last = (Namespace: "", Name: "");
            for (var i = 0; i < PodEvents; i++)
            {
                var index = (offset + i) * 7 % services;
                last = Service(services, index);
                sandbox.Store.Patch(ResourceTypes.Pods, last.Namespace, GeneratedMesh.PodName(index, 0), pod =>
                {
                    foreach (var condition in pod["status"]!["conditions"]!.AsArray())
                    {
                        if ((string?)condition!["type"] is "Ready" or "ContainersReady")
                        {
                            condition["status"] = "False";
                        }
                    }
                    return pod;
                }, WriteOptions.Default, statusOnly: true);
            }
            var service = last;
            await UntilAsync(async () => (int?)(await http.GetFromJsonAsync<JsonObject>(new Uri($"api/services/{service.Namespace}/{service.Name}", UriKind.Relative)))!["readyPods"] == GeneratedMesh.PodsPerService - 1, dashboard);
            return (dashboard.CpuTime() - cpuBefore).TotalMilliseconds / PodEvents;
        }

        // A keystroke in the overview's search as Playwright types it (an input event on the field), until the page shows
        // the filtered list (the service count changed). Two clocks: the page's own, from the input event to the next frame
        // after the DOM changed (what a person waits for), and the runner's, which adds Playwright's round trips to the
        // browser. And the dashboard's CPU per keystroke, which does not depend on what else the machine runs.
        // The search alternates between one that keeps 100 services or fewer, one that keeps a tenth of that, and none
        // (every service), so each keystroke changes what is shown.
        // (Its first run waited forever: the sequence ended on the value it starts with, so one keystroke changed nothing.)
        private static async Task<SearchTimes> SearchKeystrokesAsync(IPage overview, DashboardProcess dashboard)
        {
            var search = overview.Locator("input[data-testid='service-search'], [data-testid='service-search'] input");
            // Each value differs from the one before it, also where the sequence starts again.
            string[] sequence = ["svc-001", "svc-0012", "", "svc-0012"];
            var inPage = new List<double>();
            var roundTrip = new List<double>();
            var cpuBefore = dashboard.CpuTime();
            var cpuWarm = cpuBefore;
            // Past a first 20, and a last 20 after them.
            Keystrokes = Math.Max(Keystrokes, 40);
            for (var i = 0; i < Keystrokes; i++)
            {
                // Armed before typing: a capturing listener stamps the input event, an observer the count's change.
                await overview.EvaluateAsync("""
                    () => {
                        const count = document.querySelector("[data-testid='service-count']");
                        const before = count.textContent;
                        window.__keystroke = new Promise(resolve => {
                            let typed;
                            document.addEventListener('input', () => typed = performance.now(), { capture: true, once: true });
                            const observer = new MutationObserver(() => {
                                if (count.textContent !== before) {
                                    observer.disconnect();
                                    // To the next frame: the changed list on its way to the screen, not only in the DOM.
                                    requestAnimationFrame(() => resolve(performance.now() - typed));
                                }
                            });
                            observer.observe(count, { childList: true, characterData: true, subtree: true });
                        });
                    }
                    """);
                var watch = Stopwatch.StartNew();
                await search.FillAsync(sequence[i % sequence.Length]);
                var inPageMs = await overview.EvaluateAsync<double>("() => window.__keystroke");
                roundTrip.Add(watch.Elapsed.TotalMilliseconds);
                inPage.Add(inPageMs);
                if (i == Keystrokes - 21)
                {
                    cpuWarm = dashboard.CpuTime();
                }
            }
            await search.FillAsync("");
            // The first 20 keystrokes after start-up pay for the runtime compiling the code they run (its tiered JIT works
            // in the background for tens of seconds after a page first opens); the last 20 are what a dashboard that has
            // been up for a while answers.
            var cold = inPage.Take(20).ToList();
            var warm = inPage.TakeLast(20).ToList();
            return new SearchTimes(
                Percentile(cold, 0.5), cold.Max(), Percentile(warm, 0.5), warm.Max(),
                Percentile(roundTrip.TakeLast(20).ToList(), 0.5), roundTrip.TakeLast(20).Max(),
                (dashboard.CpuTime() - cpuBefore).TotalMilliseconds / Keystrokes,
                (dashboard.CpuTime() - cpuWarm).TotalMilliseconds / 20);
        }

        // Lets a collection or a burst of work end before CPU or memory is read: a second without much CPU.
        private static async Task Settle(DashboardProcess dashboard)
        {
            for (var i = 0; i < 30; i++)
            {
                var cpu = dashboard.CpuTime();
                await Task.Delay(1000);
                if ((dashboard.CpuTime() - cpu).TotalMilliseconds < 50)
                {
                    return;
                }
            }
        }

        private static (string Namespace, string Name) Service(int services, int index) =>
            (GeneratedMesh.NamespaceOf(index % services, Namespaces), GeneratedMesh.ServiceName(index % services));

        private static async Task PutWeightsAsync(HttpClient http, string ns, string name, int canary, bool dryRun)
        {
            // Every generated VirtualService routes to v1 and v2 (and v3 for every third service).
            var index = int.Parse(name.AsSpan(4), CultureInfo.InvariantCulture);
            var weights = index % 3 == 0
                ? new JsonObject { ["v1"] = 100 - canary, ["v2"] = canary, ["v3"] = 0 }
                : new JsonObject { ["v1"] = 100 - canary, ["v2"] = canary };
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"api/services/{ns}/{name}/weights{(dryRun ? "?dryRun=true" : "")}", UriKind.Relative))
            {
                Content = new StringContent(new JsonObject { ["weights"] = weights, ["reason"] = "scale run" }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"PUT weights {ns}/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        // The issue's baseline: what a release manager would run instead of the dashboard.
        private static async Task KubectlPatchAsync(string kubectl, string kubeconfig, (string Namespace, string Name) service, int canary)
        {
            using var process = Process.Start(new ProcessStartInfo(kubectl,
                ["--kubeconfig", kubeconfig, "-n", service.Namespace, "patch", "virtualservice", service.Name, "--type", "merge", "-p", WeightsPatch(service, canary)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"kubectl patch {service.Namespace}/{service.Name}: {await process.StandardError.ReadToEndAsync()}");
            }
        }

        private static async Task PatchWeightsAsync(HttpClient cluster, (string Namespace, string Name) service, int canary)
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"apis/networking.istio.io/v1/namespaces/{service.Namespace}/virtualservices/{service.Name}", UriKind.Relative))
            {
                Content = new StringContent(WeightsPatch(service, canary), Encoding.UTF8, "application/merge-patch+json"),
            };
            using var response = await cluster.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        // The merge patch that sets a generated VirtualService's weights (v1 and v2, and v3 at 0 for every third service).
        private static string WeightsPatch((string Namespace, string Name) service, int canary)
        {
            var index = int.Parse(service.Name.AsSpan(4), CultureInfo.InvariantCulture);
            var routes = new JsonArray(Route(service.Name, "v1", 100 - canary), Route(service.Name, "v2", canary));
            if (index % 3 == 0)
            {
                routes.Add(Route(service.Name, "v3", 0));
            }
            return new JsonObject { ["spec"] = new JsonObject { ["http"] = new JsonArray(new JsonObject { ["name"] = "weighted", ["route"] = routes }) } }.ToJsonString();

            static JsonObject Route(string host, string subset, int weight) =>
                new() { ["destination"] = new JsonObject { ["host"] = host, ["subset"] = subset }, ["weight"] = weight };
        }

        private static async Task<string?> ETagAsync(HttpClient http, (string Namespace, string Name) service)
        {
            using var response = await http.GetAsync(new Uri($"api/services/{service.Namespace}/{service.Name}", UriKind.Relative));
            return response.Headers.ETag?.Tag;
        }

        // The requests a view sends, printed; the watches' long-running requests (a watch resuming meanwhile) are not the
        // view's and are left out, as in RequestsPerPageViewTests.
        private static async Task<int> CountRequestsAsync(SandboxCluster sandbox, Func<Task> view)
        {
            var before = sandbox.Requests.Snapshot().Count;
            await view();
            var sent = sandbox.Requests.Snapshot().Skip(before).Where(r => !r.Path.Contains("watch=", StringComparison.OrdinalIgnoreCase)).ToList();
            Console.WriteLine("a service page view sent: " + (sent.Count == 0 ? "nothing" : string.Join(", ", sent.Select(r => $"{r.Method} {r.Path.Split('?')[0]}"))));
            return sent.Count;
        }

        private static async Task<double> TimeAsync(Func<Task> action)
        {
            var watch = Stopwatch.StartNew();
            await action();
            return watch.Elapsed.TotalMilliseconds;
        }

        private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }

        // Polls what the runner waits for (a benchmark, not a test): a short beat so the wait adds little to the figure.
        /// <summary>
        /// Lists the big kinds, page by page as a client does, until the runtime has stopped compiling the sandbox's code,
        /// before the dashboard starts: an API server that is up has served lists before. Without this the runtime
        /// compiled the sandbox's serving code, first and then again optimised, while the dashboard synced on the same
        /// two cores (perf: 1.9 of the runner's 2.8 s of CPU during a 5,000-service sync was its tiered-compilation thread).
        /// </summary>
        private static async Task WarmAsync(HttpClient cluster)
        {
            for (var round = 0; round < 10; round++)
            {
                var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
                foreach (var path in new[] { "api/v1/pods", "api/v1/services", "apis/networking.istio.io/v1/virtualservices", "apis/networking.istio.io/v1/destinationrules" })
                {
                    string? next = null;
                    do
                    {
                        using var page = await cluster.GetAsync(new Uri($"{path}?limit=500{(next is null ? "" : $"&continue={Uri.EscapeDataString(next)}")}", UriKind.Relative));
                        using var body = await System.Text.Json.JsonDocument.ParseAsync(await page.EnsureSuccessStatusCode().Content.ReadAsStreamAsync());
                        next = body.RootElement.GetProperty("metadata").TryGetProperty("continue", out var token) ? token.GetString() : null;
                    }
                    while (!string.IsNullOrEmpty(next));
                }
                // The runtime promotes hot methods in the background a little after they are called often enough.
                await Task.Delay(TimeSpan.FromSeconds(1));
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                if (now - compiled < 20)
                {
                    Console.WriteLine($"sandbox warmed in {round + 1} rounds of lists ({now} methods compiled in the runner)");
                    return;
                }
            }
        }

        private static async Task UntilAsync(Func<Task<bool>> done, DashboardProcess dashboard)
        {
            var deadline = Stopwatch.StartNew();
            while (!await done())
            {
                if (dashboard.HasExited || deadline.Elapsed > Patience)
                {
                    throw new TimeoutException("the dashboard did not get there (see dashboard.log)");
                }
                await Task.Delay(5);
            }
        }

        private static double Percentile(List<double> values, double rank)
        {
            var sorted = values.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(rank * sorted.Count) - 1)];
        }

        internal static HttpClient ClusterClient(SandboxCluster sandbox)
        {
            var pinned = X509Certificate2.CreateFromPem(sandbox.CertificatePem);
            var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(pinned.RawData),
            };
            var client = new HttpClient(handler) { BaseAddress = sandbox.Address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Token);
            return client;
        }
    }

    /// <summary>The highest resident memory seen, sampled every 100 ms while it lives.</summary>
    internal sealed class PeakSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peak;

        public PeakSampler(DashboardProcess process)
        {
            _peak = process.ResidentBytes();
            _sampling = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested && !process.HasExited)
                {
                    try
                    {
                        _peak = Math.Max(_peak, process.ResidentBytes());
                    }
                    catch (IOException)
                    {
                        return;
                    }
                    await Task.Delay(100);
                }
            });
        }

        public long Peak => Interlocked.Read(ref _peak);

        public void Dispose()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            _stop.Cancel();
            _sampling.Wait();
        }
    }

    /// <summary>Debian's Chromium, headless, one tab per open dashboard page (each tab a Blazor circuit).</summary>
    internal sealed class Chromium : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private Chromium(IPlaywright playwright, IBrowser browser)
        {
            _playwright = playwright;
            _browser = browser;
        }

        public static async Task<Chromium> StartAsync()
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("MESHDASHBOARD_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            });
            return new Chromium(playwright, browser);
        }

        /// <summary>Opens the overview and waits until its circuit is connected.</summary>
        public async Task<IPage> OpenAsync(Uri address)
        {
            var page = await _browser.NewPageAsync();
            await page.GotoAsync(address.ToString());
            await page.Locator("[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            return page;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
