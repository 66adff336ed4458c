using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshDashboard.Cluster.Metrics;

public static class MetricsRegistration
{
    /// <summary>
    /// Registers <see cref="ITrafficMetrics"/>: Prometheus when <c>Metrics:PrometheusUrl</c> is set; otherwise the
    /// <paramref name="embedded"/> source when there is one (the sandbox's simulator); otherwise figures that say
    /// metrics are not configured. The section is validated when the host starts.
    /// </summary>
    public static IServiceCollection AddTrafficMetrics(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, ITrafficSource>? embedded)
    {
        var section = configuration.GetSection(MetricsOptions.SectionName);
        services.AddOptions<MetricsOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, ValidateMetricsOptions>();
        var prometheusUrl = section[nameof(MetricsOptions.PrometheusUrl)];
        if (!string.IsNullOrEmpty(prometheusUrl))
        {
            services.AddSingleton(sp => new PrometheusTrafficSource(CreateHttpClient(sp.GetRequiredService<IOptions<MetricsOptions>>().Value),
                sp.GetRequiredService<IOptions<MetricsOptions>>().Value));
            services.AddSingleton<ITrafficSource>(sp => sp.GetRequiredService<PrometheusTrafficSource>());
            services.AddSingleton<IPromQlReader>(sp => sp.GetRequiredService<PrometheusTrafficSource>());
        }
        else if (embedded is not null)
        {
            services.AddSingleton(embedded);
        }
        else
        {
            services.AddSingleton<ITrafficMetrics, UnconfiguredTrafficMetrics>();
            return services;
        }
        services.AddSingleton<ITrafficMetrics>(sp => new SharedTrafficMetrics(sp.GetRequiredService<ITrafficSource>(),
            sp.GetRequiredService<IOptions<MetricsOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SharedTrafficMetrics>>()));
        return services;
    }

    /// <summary>One client for the process, trusting exactly the configured CA when there is one.</summary>
    internal static HttpClient CreateHttpClient(MetricsOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.InsecureSkipVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (options.CaFile is { Length: > 0 } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }
        var baseUrl = options.PrometheusUrl!.TrimEnd('/') + "/";
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = options.QueryTimeout * 4 };
    }
}
