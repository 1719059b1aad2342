namespace Komlogd.Core.Configuration;

/// <summary>The commented komlogd.yaml written on first run. Everything is commented out: it parses as empty.</summary>
public static class ConfigTemplate
{
    public const string Text = """
        #
        # komlogd configuration file
        #
        # A YAML list of one-key maps. Uncomment and edit what you need.
        # Relative paths are relative to this file's directory.
        #
        # Your username (required): letters, digits, '-' and '_', in levels joined by single dots (as the original):
        #
        # - username: <username>
        #
        # Private key (generated on first run; key.pub is written beside it):
        #
        # - keyfile: key.priv
        #
        # Logging (these are the defaults). level: CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET. format (optional):
        # a Python logging format string, e.g. '%(asctime)s - %(levelname)s - %(message)s':
        #
        # - logging:
        #     level: INFO
        #     rotation: yes
        #     max_bytes: 10000000
        #     backup_count: 3
        #     dirname: log
        #     filename: komlogd.log
        #
        # Packages: one block per package. install: a NuGet id (Kpack.Linux, Kpack.Linux==0.3.0), a .nupkg file,
        # git+https://host/repo.git@ref or git+ssh://git@host/repo.git@ref (with key.priv), a .zip or .tar.gz URL
        # or path, or a local project directory; several of these go into the same venv; options as pip:
        # --upgrade/-U, --force-reinstall, --source FEED, --prerelease, --project PATH (one source only).
        # venv: default (shared), unique (one of its own) or any name of [A-Za-z0-9_-].
        #
        # - package:
        #     install: Kpack.Linux
        #     enabled: yes
        #     venv: default
        #

        """;
}
