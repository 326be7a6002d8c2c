package com.tekst.outlook;

/**
 * The database's store schema is newer than this version of the SDK knows: a newer SDK has migrated it. The store
 * refuses to start rather than read or write data in a shape it does not understand; a schema is never migrated down.
 * Upgrade the SDK, or point the store at another database.
 */
public final class UnsupportedSchemaVersionException extends StoreException {
    private final int databaseVersion;
    private final int supportedVersion;

    public UnsupportedSchemaVersionException(int databaseVersion, int supportedVersion) {
        super("the store's database has schema version " + databaseVersion + ", newer than version "
                + supportedVersion + " that this SDK knows: upgrade the SDK (a store schema is never migrated down)",
                null);
        this.databaseVersion = databaseVersion;
        this.supportedVersion = supportedVersion;
    }

    /** The schema version found in the database. */
    public int databaseVersion() {
        return databaseVersion;
    }

    /** The newest schema version this SDK knows. */
    public int supportedVersion() {
        return supportedVersion;
    }
}
