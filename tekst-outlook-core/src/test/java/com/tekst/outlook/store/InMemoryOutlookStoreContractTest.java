package com.tekst.outlook.store;

/** The contract on the reference implementation. */
class InMemoryOutlookStoreContractTest extends OutlookStoreContractTest {
    @Override
    protected OutlookStore emptyStore() {
        return new InMemoryOutlookStore();
    }
}
