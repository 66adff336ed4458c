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

await using var dashboard = await DashboardWebApplication.CreateAsync(args);
await dashboard.RunAsync();
