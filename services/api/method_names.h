// The full gRPC method name of one of our RPCs, as the access policy keys
// its rules: "coopcraft.v1.<Service>/<Rpc>". A literal, so a handler costs
// no formatting per call; a typo is caught by the matrix test, which calls
// every RPC with every role.
#ifndef COOPCRAFT_SERVICES_API_METHOD_NAMES_H_
#define COOPCRAFT_SERVICES_API_METHOD_NAMES_H_

#define COOPCRAFT_METHOD(Service, Rpc) "coopcraft.v1." #Service "/" #Rpc

#endif  // COOPCRAFT_SERVICES_API_METHOD_NAMES_H_
