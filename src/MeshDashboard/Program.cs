using MeshDashboard.Hosting;

await using var dashboard = await DashboardWebApplication.CreateAsync(args);
await dashboard.RunAsync();
