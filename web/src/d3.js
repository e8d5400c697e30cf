// The parts of d3 the regiokg pages use, bundled as one ES module (web/dist/d3.js).
export { select, selectAll, pointer } from "d3-selection";
export { geoMercator, geoPath, geoCentroid, geoBounds } from "d3-geo";
export { forceSimulation, forceLink, forceManyBody, forceCollide, forceX, forceY } from "d3-force";
export { zoom, zoomIdentity } from "d3-zoom";
