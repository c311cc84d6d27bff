-- Orleans cluster membership (src/Clustering, PostgresMembershipTable): one version row per
-- cluster and one row per silo incarnation (address, port and generation: a restarted silo is a
-- new row). Orleans' membership protocol is optimistic: every change of a silo's row moves its
-- cluster's version in the same transaction, and a writer whose version or row etag is stale
-- fails and rereads. Heartbeats write i_am_alive_time alone and move neither.

CREATE TABLE cluster_membership_versions (
    cluster_id text        PRIMARY KEY,
    -- Orleans' TableVersion.Version; its etag is this number as text.
    version    integer     NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cluster_members (
    cluster_id      text        NOT NULL REFERENCES cluster_membership_versions (cluster_id) ON DELETE CASCADE,
    -- The silo's IP address as .NET prints it (IPv4 or IPv6) and its silo-to-silo port.
    address         text        NOT NULL,
    port            integer     NOT NULL,
    -- Distinguishes the incarnations of a silo on one endpoint.
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    -- Orleans' SiloStatus by name.
    status          text        NOT NULL CHECK (status IN ('None', 'Created', 'Joining', 'Active', 'ShuttingDown', 'Stopping', 'Dead')),
    -- The gateway port clients connect to; 0 when the silo is no gateway.
    proxy_port      integer     NOT NULL DEFAULT 0,
    -- Votes of the silos that suspect this one: [{"silo": "<SiloAddress>", "time": "<UTC>"}, ...].
    suspect_times   jsonb       NOT NULL DEFAULT '[]',
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    -- Changes with every membership update of the row, never with a heartbeat.
    etag            uuid        NOT NULL DEFAULT gen_random_uuid(),
    PRIMARY KEY (cluster_id, address, port, generation)
);
