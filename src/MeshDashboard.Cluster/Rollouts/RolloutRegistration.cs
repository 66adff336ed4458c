using k8s;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshDashboard.Cluster.Rollouts;

public static class RolloutRegistration
{
    /// <summary>
    /// Registers <see cref="IRolloutClient"/> and the background driver. Rollouts live in the history's namespace
    /// (<see cref="HistoryOptions.Namespace"/>). <paramref name="changes"/> gives the unchecked client the driver
    /// writes through: the driver acts for the person who started the plan, whose role was checked then.
    /// </summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, IMeshDashboardClient> changes)
    {
        services.AddOptions<RolloutOptions>().Bind(configuration.GetSection(RolloutOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RolloutOptions>, ValidateRolloutOptions>();
        services.AddSingleton(sp => new RolloutStore(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<HistoryOptions>().Namespace));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RolloutOptions>>().Value;
            return new RolloutLeases(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<HistoryOptions>().Namespace,
                options.Identity ?? DefaultIdentity(), options.LeaseDuration, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<RolloutWakeUp>();
        services.AddSingleton(sp => new RolloutDriver(sp.GetRequiredService<RolloutStore>(), sp.GetRequiredService<RolloutLeases>(), changes(sp),
            sp.GetRequiredService<ITrafficMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RolloutDriver>>(), sp.GetService<IPromQlReader>()));
        services.AddSingleton<IRolloutClient>(sp => new RolloutClient(sp.GetRequiredService<RolloutStore>(), sp.GetRequiredService<RolloutDriver>(),
            sp.GetRequiredService<RolloutWakeUp>(), changes(sp), sp.GetRequiredService<ITrafficMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IPromQlReader>()));
        services.AddHostedService<RolloutService>();
        return services;
    }

    /// <summary>The pod's name (unique among replicas) and a random part (unique per process, as client-go's examples add a UUID).</summary>
    private static string DefaultIdentity() =>
        $"{Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName}_{Guid.NewGuid().ToString("N")[..8]}";
}
