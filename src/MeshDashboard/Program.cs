using MeshDashboard.Authentication;
using MeshDashboard.Hosting;

// `MeshDashboard hash-password` reads a password from standard input and prints the hash for Auth:Local.
if (args is ["hash-password", ..])
{
    Console.Error.Write("Password: ");
    var password = Console.ReadLine() ?? "";
    Console.WriteLine(PasswordHashing.Hash(password));
    return;
}

try
{
    await using var dashboard = await DashboardWebApplication.CreateAsync(args);
    await dashboard.RunAsync();
}
catch (Exception refusal) when (refusal is LoopbackGuard.OpenAddressException or AuthenticationSettingsException or ProxySettingsException)
{
    // A refusal to start is a message for the operator, not a crash: no stack trace, a non-zero exit.
    Console.Error.WriteLine($"MeshDashboard did not start: {refusal.Message}");
    Environment.ExitCode = 2;
}
