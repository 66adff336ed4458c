using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshDashboard.ScaleRunner;

/// <summary>
/// The dashboard as its own process in Kubeconfig mode against the runner's sandbox, as it runs beside a real cluster:
/// its memory and CPU are read from /proc, apart from the sandbox's and the browser's.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<TimeSpan> _announcedReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DashboardProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>
    /// The time from the process's start to its "MeshDashboard is ready" line: the moment the watch cache synced and the
    /// server listens, which is what <c>/readyz</c> answers. Watching the log costs the dashboard nothing; polling
    /// <c>/readyz</c> every few milliseconds would have cost it a request each (0.5 s of its CPU over a 5,000-service
    /// sync, measured with perf).
    /// </summary>
    public Task<TimeSpan> AnnouncedReady => _announcedReady.Task;

    public Uri Address { get; }

    public int Id => _process.Id;

    public static DashboardProcess Start(string dashboardDll, string? kubeconfig, string logFile, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dashboardDll])
        {
            WorkingDirectory = Path.GetDirectoryName(dashboardDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (kubeconfig is not null)
        {
            start.Environment["Cluster__Mode"] = "Kubeconfig";
            start.Environment["Cluster__Kubeconfig"] = kubeconfig;
        }
        start.Environment["Auth__Mode"] = "None";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        // The start's cost to the runtime (methods compiled, collections), in the dashboard's log.
        start.Environment["Logging__LogLevel__MeshDashboard.Hosting.ReadyAnnouncement"] = "Debug";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var dashboard = new DashboardProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) =>
        {
            var at = clock.Elapsed;
            if (line.Data?.Contains("MeshDashboard is ready", StringComparison.Ordinal) == true)
            {
                dashboard._announcedReady.TrySetResult(at);
            }
            log.WriteLine($"{at.TotalSeconds,7:F2} {line.Data}");
        };
        process.ErrorDataReceived += (_, line) => log.WriteLine($"{clock.Elapsed.TotalSeconds,7:F2} {line.Data}");
        process.Exited += (_, _) => dashboard._announcedReady.TrySetException(new InvalidOperationException("the dashboard exited before it was ready (see its log)"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dashboard;
    }

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>CPU time the process has used (user + system), from /proc/pid/stat.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Fields after the command (which may hold spaces) start after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)TicksPerSecond);
    }

    // USER_HZ; 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const int TicksPerSecond = 100;

    public bool HasExited => _process.HasExited;

    private bool _disposed;

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
