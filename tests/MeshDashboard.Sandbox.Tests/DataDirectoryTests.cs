using System.Runtime.Versioning;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>The data directory holds the token and every object: only its owner may read it, across restarts.</summary>
public sealed class DataDirectoryTests : IAsyncLifetime
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode WorldReadableFile = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode WorldReadableDirectory = OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TestSandbox _sandbox = new();

    private string Data => _sandbox.DataDirectory;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private IEnumerable<string> Folders() => [Data, .. Directory.EnumerateDirectories(Data, "*", SearchOption.AllDirectories)];

    private IEnumerable<string> Files() => Directory.EnumerateFiles(Data, "*", SearchOption.AllDirectories);

    // Assert.SkipWhen stops the test on Windows; the attribute tells the platform analyzer so.
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void TheDataDirectoryAndEveryFolderAndFileTheSandboxWrote_AreForItsOwnerOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");

        Assert.Contains(Path.Combine(Data, "token"), Files());
        Assert.Contains(Path.Combine(Data, "kubeconfig"), Files());
        Assert.Contains(Files(), f => f.EndsWith(".json", StringComparison.Ordinal));
        Assert.All(Folders(), folder => Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(folder)));
        Assert.All(Files(), file => Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file)));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ADataDirectoryAnOlderVersionLeftReadable_IsTightenedAtStart()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var port = _sandbox.Cluster.Address.Port;
        await _sandbox.StopAsync();
        foreach (var folder in Folders())
        {
            File.SetUnixFileMode(folder, WorldReadableDirectory);
        }
        foreach (var file in Files())
        {
            File.SetUnixFileMode(file, WorldReadableFile);
        }

        await _sandbox.StartAgainAsync(port);

        Assert.All(Folders(), folder => Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(folder)));
        Assert.All(Files(), file => Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task TheToken_SurvivesARestart_SoAKubeconfigAlreadyHandedOutKeepsWorking()
    {
        var before = _sandbox.Token;
        using var http = _sandbox.CreateHttpClient();

        await _sandbox.RestartAsync();
        using var response = await http.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(before, _sandbox.Token);
        Assert.Equal(before, File.ReadAllText(Path.Combine(Data, "token")).Trim());
        response.EnsureSuccessStatusCode();
    }
}
