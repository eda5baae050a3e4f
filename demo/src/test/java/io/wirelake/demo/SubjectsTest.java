package io.wirelake.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectsTest
{
    @Test
    void identifierSegmentsBecomeId()
    {
        assertThat(Subjects.pathTemplate("/api/v1/products/4711")).isEqualTo("/api/v1/products/{id}");
        assertThat(Subjects.pathTemplate("/api/v1/orders/5f0c6e1a-9b2d-4c3e-8f7a-0123456789ab/items/2")).isEqualTo("/api/v1/orders/{id}/items/{id}");
        assertThat(Subjects.pathTemplate("/api/v1/carts/65f1a2b3c4d5e6f708192a3b")).isEqualTo("/api/v1/carts/{id}");
        assertThat(Subjects.pathTemplate("/api/v1/products?page=2&limit=20")).isEqualTo("/api/v1/products");
        assertThat(Subjects.pathTemplate("/api/v2/stock/1234?x=/5")).isEqualTo("/api/v2/stock/{id}");
    }

    @Test
    void wordsAndShortHexStay()
    {
        assertThat(Subjects.pathTemplate("/")).isEqualTo("/");
        assertThat(Subjects.pathTemplate("/api/v1/cart")).isEqualTo("/api/v1/cart");
        assertThat(Subjects.pathTemplate("/static/app.js")).isEqualTo("/static/app.js");
        // 15 hex digits is not an id; a segment with a number in it is not all digits
        assertThat(Subjects.pathTemplate("/beef/deadbeefcafe123/v2/page1")).isEqualTo("/beef/deadbeefcafe123/v2/page1");
        assertThat(Subjects.pathTemplate("/shop.Recommendations/List")).isEqualTo("/shop.Recommendations/List");
        assertThat(Subjects.pathTemplate("/a//b/")).isEqualTo("/a//b/");
    }

    @Test
    void workloadsAreNamedByTheirController()
    {
        assertThat(Subjects.workload(DemoCluster.FRONTEND_A)).isEqualTo("shop/frontend").isEqualTo(Subjects.workload(DemoCluster.FRONTEND_C));
        assertThat(Subjects.workload(DemoCluster.PAYMENTS)).isEqualTo("payments/payment-service");
        assertThat(Subjects.workload(DemoCluster.REDIS)).isEqualTo("shop/redis");
        assertThat(Subjects.workload(DemoCluster.COREDNS_B)).isEqualTo("kube-system/coredns");
        assertThat(Subjects.edge("shop/orders", "shop/inventory", "TCP", 9000)).isEqualTo("shop/orders -> shop/inventory TCP 9000");
    }
}
