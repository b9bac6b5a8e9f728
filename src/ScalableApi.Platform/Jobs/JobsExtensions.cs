using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The durable job queue in the service's own database (call after <c>AddDatabase</c>): its tables (platform
    /// migrations 9001+), the <see cref="JobQueue"/>, and a worker on every replica. Register handlers with
    /// <see cref="AddJobHandler{THandler}"/>; map the API with <see cref="JobsApi.MapJobsApi"/>.
    /// </summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<JobsOptions>(builder.Configuration, JobsOptions.SectionName);
        builder.Services.AddSingleton(new MigrationSet(typeof(JobsExtensions).Assembly, "jobs-migrations"));
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddHostedService<JobWorker>();

        return builder;
    }

    public static WebApplicationBuilder AddJobHandler<THandler>(this WebApplicationBuilder builder)
        where THandler : class, IJobHandler
    {
        builder.Services.AddSingleton<IJobHandler, THandler>();
        return builder;
    }
}
