using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshDashboard.Testing;

/// <summary>
/// A real Prometheus (Debian's package, /usr/bin/prometheus, or MESHDASHBOARD_PROMETHEUS) on a free loopback port with
/// its own config and a temporary storage folder. test.sh installs the package when missing. The process is killed
/// when this is disposed, whatever happened.
/// </summary>
public sealed class TestPrometheus : IAsyncDisposable
{
    private readonly TemporaryDirectory _data = new();
    private Process? _process;
    private readonly StringBuilder _log = new();

    private TestPrometheus(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public string Folder => _data.Path;

    public static string BinaryPath => Environment.GetEnvironmentVariable("MESHDASHBOARD_PROMETHEUS") is { Length: > 0 } configured ? configured : "/usr/bin/prometheus";

    /// <summary>Reserves a port (Prometheus starts later, once the target it scrapes is known).</summary>
    public static TestPrometheus OnFreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new TestPrometheus(port);
    }

    /// <summary>Starts Prometheus with <paramref name="configYaml"/> and waits until it answers ready.</summary>
    public async Task StartAsync(string configYaml, CancellationToken cancellationToken)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"Prometheus is missing at {BinaryPath}: run ./test.sh as root (it installs Debian's prometheus) or set MESHDASHBOARD_PROMETHEUS.");
        }
        var config = Path.Combine(_data.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml, cancellationToken);
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(_data.Path, "data"),
            $"--web.listen-address=127.0.0.1:{Port}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Prometheus did not start.");
        _process.ErrorDataReceived += (_, line) => { lock (_log) { _log.AppendLine(line.Data); } };
        _process.OutputDataReceived += (_, line) => { lock (_log) { _log.AppendLine(line.Data); } };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with {_process.ExitCode}: {Log}");
            }
            try
            {
                using var ready = await http.GetAsync(new Uri("-/ready", UriKind.Relative), deadline.Token);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await poll.WaitForNextTickAsync(deadline.Token);
        }
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        _data.Dispose();
    }
}
