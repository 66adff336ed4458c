using System.Net;
using MeshDashboard.Authentication;
using MeshDashboard.Hosting;
using MeshDashboard.Testing;
using Microsoft.AspNetCore.Hosting;

namespace MeshDashboard.Tests.Security;

/// <summary>No open door: without sign-in the dashboard refuses to listen beyond loopback.</summary>
public sealed class LoopbackGuardTests
{
    [Theory]
    [InlineData("--urls=http://0.0.0.0:8080")]
    [InlineData("--urls=http://+:8080")]
    [InlineData("--urls=http://[::]:8080")]
    [InlineData("--urls=http://192.0.2.10:8080")]
    [InlineData("--http_ports=8080")]
    public async Task NoAuthentication_OnAnOpenAddress_RefusesToStartNamingTheSetting(string argument)
    {
        using var data = new TemporaryDirectory();

        var error = await Assert.ThrowsAsync<LoopbackGuard.OpenAddressException>(() =>
            DashboardWebApplication.CreateAsync([argument, $"--Sandbox:DataDirectory={data.Path}", "--Sandbox:Port=0"]));

        Assert.Contains("Auth:Mode", error.Message);
    }

    [Fact]
    public async Task NoAuthentication_BoundByCodeToAnyAddress_StopsAndRefuses()
    {
        using var data = new TemporaryDirectory();
        await using var app = await DashboardWebApplication.CreateAsync([$"--Sandbox:DataDirectory={data.Path}", "--Sandbox:Port=0"],
            builder => builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, 0)));

        var error = await Assert.ThrowsAsync<LoopbackGuard.OpenAddressException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Auth:Mode", error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://example.com:80", false)]
    public void IsLoopback_TellsLoopbackAddressesApart(string url, bool loopback) =>
        Assert.Equal(loopback, LoopbackGuard.IsLoopback(url));

    [Fact]
    public async Task LocalMode_WithAPasswordInsteadOfAHash_RefusesToStartNamingTheSetting()
    {
        using var data = new TemporaryDirectory();

        var error = await Assert.ThrowsAsync<AuthenticationSettingsException>(() => DashboardWebApplication.CreateAsync(
            ["--Auth:Mode=Local", "--Auth:Local:0:Name=alice", "--Auth:Local:0:PasswordHash=hunter2", "--Auth:Local:0:Role=Admin", $"--Sandbox:DataDirectory={data.Path}"]));

        Assert.Contains("Auth:Local:0:PasswordHash", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
