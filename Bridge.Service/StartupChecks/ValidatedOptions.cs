using Microsoft.Extensions.Options;

namespace Bridge.Service.StartupChecks;

/// <summary>Something to check before the bridge starts; every check runs, so a user sees all
/// problems at once (then exit 2).</summary>
public interface IStartupCheck
{
    /// <summary>True for a check that builds services (drivers, say), which needs every option valid:
    /// it runs only when the options checks found nothing.</summary>
    bool AfterOptions => false;

    void Collect(IServiceProvider services, List<string> problems);
}

/// <summary>Options bound from their section and validated by every <see cref="IValidateOptions{T}"/>
/// registered for them: one registration per options class, no hand-kept list.</summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/> and validates it with
    /// <paramref name="validate"/> (problems named by their config path, with an example).</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration config, string section,
        Func<T, IEnumerable<string>> validate) where T : class
    {
        services.AddValidatedOptions<T>(config, section);
        services.AddSingleton<IValidateOptions<T>>(new ProblemListValidator<T>(validate));
        return services;
    }

    /// <summary>Binds <typeparamref name="T"/> and checks it at start with the validators registered
    /// for it (e.g. a module's own <see cref="IValidateOptions{T}"/> that needs other services).</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration config, string section) where T : class
    {
        // Bound from the host's configuration (the one in the container), whichever a caller passed.
        services.AddOptions<T>().BindConfiguration(section);
        if (!services.Any(s => s.ImplementationInstance is OptionsCheck<T>)) services.AddSingleton<IStartupCheck>(new OptionsCheck<T>(section));
        return services;
    }

    /// <summary>Runs every registered <see cref="IStartupCheck"/>.</summary>
    public static List<string> Collect(IServiceProvider services)
    {
        var problems = new List<string>();
        var checks = services.GetServices<IStartupCheck>().ToArray();
        foreach (var check in checks.Where(c => !c.AfterOptions)) check.Collect(services, problems);
        if (problems.Count > 0) return problems;
        foreach (var check in checks.Where(c => c.AfterOptions)) check.Collect(services, problems);
        return problems;
    }

    private sealed class ProblemListValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = validate(options).ToArray();
            return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    /// <summary>Binding (a word where a number belongs) and validation problems of one section.</summary>
    private sealed class OptionsCheck<T>(string section) : IStartupCheck where T : class
    {
        public void Collect(IServiceProvider services, List<string> problems)
        {
            try
            {
                _ = services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{section}: {e.InnerException?.Message ?? e.Message}");
            }
        }
    }
}

/// <summary>A module's own validator, for options whose check needs other services (profiles, say).</summary>
public abstract class OptionsValidator<T> : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var problems = Problems(options).ToArray();
        return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    protected abstract IEnumerable<string> Problems(T options);
}
